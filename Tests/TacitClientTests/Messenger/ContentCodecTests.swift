import Foundation
import SwiftProtobuf
import Testing
import TacitWire
@testable import TacitClient

@Suite struct ContentCodecTests {
    static let target = MessageID.random()

    static let samples: [ChatContent] = [
        .text("hello @bob", replyTo: nil, mentions: ["bob"]),
        .text("a reply", replyTo: target, mentions: []),
        .reaction(target: target, emoji: "👍", remove: false),
        .reaction(target: target, emoji: "👍", remove: true),
        .edit(target: target, text: "fixed", mentions: ["carol"]),
        .recall(target: target),
        .receipt(.delivered, targets: [target, .random()]),
        .receipt(.read, targets: [target]),
        .typing(active: true),
        .profile(Profile(displayName: "Alice", avatar: "blob:abc")),
        .profile(Profile(displayName: "", avatar: nil)),
        .contactRequest(inviteToken: "0123456789abcdef0123", note: "hi"),
        .contactRequest(inviteToken: nil, note: ""),
        .contactResponse(accepted: true),
        .contactResponse(accepted: false),
        .leave,
    ]

    @Test(arguments: samples)
    func roundTrips(_ content: ChatContent) throws {
        let envelope = ContentEnvelope(id: .random(), sentAt: Date(timeIntervalSince1970: 1_700_000_000.123), content: content)
        let decoded = try ContentCodec.decode(ContentCodec.encode(envelope))
        #expect(decoded == envelope)
    }

    @Test func rejectsIDsThatAreNot16Bytes() throws {
        var message = ContentMessage()
        message.id = Data([1, 2, 3])
        message.body = .leave(ContentLeave())
        #expect(throws: ContentError.badMessageID) { try ContentCodec.decode(try message.serializedBytes()) }

        var reaction = ContentMessage()
        reaction.id = Data(repeating: 7, count: 16)
        var body = ContentReaction()
        body.target = Data([9])
        body.emoji = "x"
        reaction.body = .reaction(body)
        #expect(throws: ContentError.badMessageID) { try ContentCodec.decode(try reaction.serializedBytes()) }
    }

    @Test func rejectsAMessageWithoutBody() throws {
        var message = ContentMessage()
        message.id = Data(repeating: 1, count: 16)
        #expect(throws: ContentError.unsupportedBody) { try ContentCodec.decode(try message.serializedBytes()) }
    }

    @Test func rejectsGarbageAndOversizedText() {
        #expect(throws: ContentError.self) { try ContentCodec.decode([0xFF, 0xFF, 0xFF]) }
        let long = String(repeating: "a", count: ContentCodec.maximumTextLength + 1)
        let bytes = ContentCodec.encode(ContentEnvelope(content: .text(long, replyTo: nil, mentions: [])))
        #expect(throws: ContentError.tooLong("text")) { try ContentCodec.decode(bytes) }
    }

    @Test func metadataRoundTripsThroughItsExtension() throws {
        let metadata = ConversationMetadata(kind: .direct, name: "n", avatar: "a", disappearingAfter: .seconds(30),
                                            createdBy: "alice", contactAccepted: true)
        let decoded = try #require(ConversationMetadata(extensions: [metadata.groupContextExtension]))
        #expect(decoded == metadata)
        let replaced = ConversationMetadata(kind: .group, createdBy: "bob").replacing(in: [metadata.groupContextExtension])
        #expect(replaced.count == 1)
        #expect(ConversationMetadata(extensions: replaced)?.createdBy == "bob")
        #expect(ConversationMetadata(extensions: []) == nil)
    }

    @Test func mentionsAreMembersNamedWithAnAt() {
        #expect(Messenger.mentions(in: "hi @Bob and @carol, not @zed or bob", members: ["bob", "carol"]) == ["bob", "carol"])
        #expect(Messenger.mentions(in: "no mentions", members: ["bob"]).isEmpty)
    }

    @Test func messageIDsPrintAndParseAsHex() throws {
        let id = MessageID.random()
        #expect(MessageID(hex: id.description) == id)
        #expect(MessageID(hex: "xyz") == nil)
        let json = try JSONEncoder().encode(id)
        #expect(try JSONDecoder().decode(MessageID.self, from: json) == id)
    }
}
