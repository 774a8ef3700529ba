import Foundation
import Testing
@testable import TacitClient

@Suite struct MessageLedgerTests {
    static let sent = Date(timeIntervalSince1970: 1_700_000_000)

    func message(from sender: String = "alice", outgoing: Bool = false) -> ChatMessage {
        ChatMessage(id: .random(), conversationID: ConversationID(bytes: [1, 2, 3]), sender: sender, senderDevice: 1,
                    isOutgoing: outgoing, sentAt: Self.sent, serverTime: Self.sent, text: "original", replyTo: nil,
                    mentions: [], editedAt: nil, isRecalled: false, reactions: [:], status: outgoing ? .sent : .delivered,
                    readBy: [], expiresAt: nil)
    }

    @Test func onlyTheSenderEdits() throws {
        let original = message()
        #expect(original.edited(text: "x", mentions: [], by: "mallory", at: Self.sent) == nil)
        let edited = try #require(original.edited(text: "new", mentions: ["bob"], by: "alice", at: Self.sent + 5))
        #expect(edited.text == "new")
        #expect(edited.mentions == ["bob"])
        #expect(edited.editedAt == Self.sent + 5)
    }

    @Test func recallsOnlyBySenderWithinTheWindow() throws {
        let original = message()
        let window = Duration.seconds(120)
        #expect(original.recalled(by: "mallory", at: Self.sent + 1, window: window) == nil)
        #expect(original.recalled(by: "alice", at: Self.sent + 121, window: window) == nil)
        let recalled = try #require(original.recalled(by: "alice", at: Self.sent + 120, window: window))
        #expect(recalled.isRecalled)
        #expect(recalled.text.isEmpty)
        #expect(recalled.recalled(by: "alice", at: Self.sent + 1, window: window) == nil, "twice is no change")
        #expect(recalled.edited(text: "back", mentions: [], by: "alice", at: Self.sent + 2) == nil)
    }

    @Test func reactionsAddAndRemovePerAccount() throws {
        let original = message()
        let once = try #require(original.reacting("👍", by: "bob", remove: false))
        #expect(once.reactions == ["👍": ["bob"]])
        #expect(once.reacting("👍", by: "bob", remove: false) == nil, "the same reaction twice is no change")
        let twice = try #require(once.reacting("👍", by: "carol", remove: false))
        #expect(twice.reactions["👍"] == ["bob", "carol"])
        let removed = try #require(twice.reacting("👍", by: "bob", remove: true))
        #expect(removed.reactions["👍"] == ["carol"])
        let empty = try #require(removed.reacting("👍", by: "carol", remove: true))
        #expect(empty.reactions.isEmpty)
        #expect(empty.reacting("👍", by: "carol", remove: true) == nil)
    }

    @Test func receiptsMoveOutgoingMessagesForward() throws {
        let outgoing = message(from: "alice", outgoing: true)
        let delivered = try #require(outgoing.receipted(.delivered, by: "bob"))
        #expect(delivered.status == .delivered)
        #expect(delivered.receipted(.delivered, by: "carol") == nil)
        let read = try #require(delivered.receipted(.read, by: "bob"))
        #expect(read.status == .read)
        #expect(read.readBy == ["bob"])
        #expect(read.receipted(.delivered, by: "carol") == nil, "a late delivery receipt does not move it back")
        #expect(message(from: "bob").receipted(.read, by: "carol") == nil, "receipts only count for outgoing messages")
        #expect(outgoing.receipted(.read, by: "alice") == nil, "own devices do not count")
    }
}

@Suite struct ContactStateTests {
    func metadata(createdBy: String, accepted: Bool) -> ConversationMetadata {
        ConversationMetadata(kind: .direct, createdBy: createdBy, contactAccepted: accepted)
    }

    @Test func directConversationSettingsImplyTheContactState() {
        let implied = Contact.State.implied
        #expect(implied(metadata(createdBy: "bob", accepted: false), "alice", nil) == .incomingRequest)
        #expect(implied(metadata(createdBy: "alice", accepted: false), "alice", nil) == .outgoingRequest)
        #expect(implied(metadata(createdBy: "bob", accepted: true), "alice", .incomingRequest) == .accepted)
        #expect(implied(metadata(createdBy: "bob", accepted: false), "alice", .accepted) == .accepted,
                "a new request from a contact does not demote them")
        #expect(implied(metadata(createdBy: "bob", accepted: true), "alice", .blocked) == nil, "blocked stays blocked")
    }
}
