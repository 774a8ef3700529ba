import Foundation
import SwiftProtobuf
import Testing
import TacitWire
@testable import TacitClient

/// The `Attachment` body of content.proto: encoding, strict decoding, and the stored form.
@Suite struct AttachmentMessageContentTests {
    static func descriptor(fileName: String? = "report.pdf", size: UInt64 = 1_234_567) throws -> AttachmentDescriptor {
        let file = try AttachmentEncryptedFile(
            key: Data(repeating: 1, count: 32), noncePrefix: Data(repeating: 2, count: 8), chunkSize: 65_536,
            ciphertextSHA256: Data(repeating: 3, count: 32), plaintextSize: size,
            ciphertextSize: AttachmentFormat.ciphertextSize(plaintextSize: size, chunkSize: 65_536) ?? 0)
        return try AttachmentDescriptor(blobID: String(repeating: "ab", count: 32), file: file, mediaType: "application/pdf",
                                        fileName: fileName, durationMilliseconds: 61_000)
    }

    @Test(arguments: MessageAttachment.Kind.allCases)
    func attachmentsRoundTripThroughTheCodec(kind: MessageAttachment.Kind) throws {
        let attachment = MessageAttachment(descriptor: try Self.descriptor(), kind: kind, caption: "the numbers")
        let reply = MessageID.random()
        let envelope = ContentEnvelope(content: .attachment(attachment, replyTo: reply))
        let decoded = try ContentCodec.decode(ContentCodec.encode(envelope))
        #expect(decoded.id == envelope.id)
        #expect(decoded.content == .attachment(attachment, replyTo: reply))
        #expect(decoded.content.shownMessage?.text == "the numbers")
        #expect(decoded.content.shownMessage?.attachment == attachment)
    }

    @Test func badAttachmentBodiesAreRefused() throws {
        var message = ContentMessage()
        message.id = Data(repeating: 9, count: 16)
        var body = ContentAttachment()
        body.descriptor = Data([1, 2, 3])
        message.body = .attachment(body)
        #expect(throws: ContentError.self) { try ContentCodec.decode(try message.serializedBytes()) }

        body.descriptor = Data(try Self.descriptor().serializedBytes())
        body.caption = String(repeating: "x", count: ContentCodec.maximumTextLength + 1)
        message.body = .attachment(body)
        #expect(throws: ContentError.tooLong("caption")) { try ContentCodec.decode(try message.serializedBytes()) }

        body.caption = ""
        body.replyTo = Data([1, 2])
        message.body = .attachment(body)
        #expect(throws: ContentError.badMessageID) { try ContentCodec.decode(try message.serializedBytes()) }

        // A kind from a newer client shows as a file.
        body.replyTo = Data()
        body.kind = ContentAttachment.Kind(rawValue: 42) ?? .file
        message.body = .attachment(body)
        guard case .attachment(let attachment, _) = try ContentCodec.decode(try message.serializedBytes()).content else {
            Issue.record("not an attachment")
            return
        }
        #expect(attachment.kind == .file)
    }

    @Test func theStoredFormKeepsTheDescriptor() throws {
        let attachment = MessageAttachment(descriptor: try Self.descriptor(), kind: .photo, caption: "")
        let data = try JSONEncoder().encode(attachment)
        #expect(try JSONDecoder().decode(MessageAttachment.self, from: data) == attachment)
        let broken = Data(String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\"descriptor\":\"", with: "\"descriptor\":\"AAAA").utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(MessageAttachment.self, from: broken) }
    }

    @Test func summariesNameKindFileAndSize() throws {
        #expect(MessageAttachment(descriptor: try Self.descriptor(), kind: .file).summary == "[file report.pdf 1.2 MB 1:01]")
        let unnamed = MessageAttachment(descriptor: try Self.descriptor(fileName: nil, size: 0), kind: .voice)
        #expect(unnamed.displayName == "voice-abababababab")
        #expect(MessageAttachment.formatSize(0) == "0 B")
        #expect(MessageAttachment.formatSize(999) == "999 B")
        #expect(MessageAttachment.formatSize(1000) == "1.0 kB")
        #expect(MessageAttachment.formatSize(1_073_741_824) == "1.1 GB")
    }
}
