import Foundation
import Synchronization
import TacitClient

/// An attachment as `tacit read --json` prints it (the `attachment` field of a message).
/// `descriptor` is the binary descriptor in base64: with it `tacit media download` fetches
/// and decrypts the file, so it is as secret as the file.
struct AttachmentRecord: Encodable {
    var kind: String
    var fileName: String
    var size: UInt64
    var mediaType: String
    var blobID: String
    var encryptedSize: UInt64
    var chunkSize: Int
    var sha256: String
    var durationMs: UInt64?
    var width: UInt32?
    var height: UInt32?
    var thumbnail: Bool
    var descriptor: String
    /// Where `--download` saved it.
    var savedTo: String?

    init(_ attachment: MessageAttachment, savedTo: String? = nil) {
        let descriptor = attachment.descriptor
        kind = attachment.kind.rawValue
        fileName = attachment.displayName
        size = descriptor.file.plaintextSize
        mediaType = descriptor.mediaType
        blobID = descriptor.blobID
        encryptedSize = descriptor.file.ciphertextSize
        chunkSize = descriptor.file.chunkSize
        sha256 = descriptor.file.ciphertextSHA256.map { String(format: "%02x", $0) }.joined()
        durationMs = descriptor.durationMilliseconds
        width = descriptor.imageSize?.width
        height = descriptor.imageSize?.height
        thumbnail = descriptor.thumbnail != nil
        self.descriptor = Data(descriptor.serializedBytes()).base64EncodedString()
        self.savedTo = savedTo
    }

    private enum CodingKeys: String, CodingKey {
        case kind, fileName, size, mediaType, blobID, encryptedSize, chunkSize, sha256, durationMs, width, height,
             thumbnail, descriptor, savedTo
    }

    // Every field always present (null when empty), like the message fields.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encode(fileName, forKey: .fileName)
        try container.encode(size, forKey: .size)
        try container.encode(mediaType, forKey: .mediaType)
        try container.encode(blobID, forKey: .blobID)
        try container.encode(encryptedSize, forKey: .encryptedSize)
        try container.encode(chunkSize, forKey: .chunkSize)
        try container.encode(sha256, forKey: .sha256)
        try container.encode(durationMs, forKey: .durationMs)
        try container.encode(width, forKey: .width)
        try container.encode(height, forKey: .height)
        try container.encode(thumbnail, forKey: .thumbnail)
        try container.encode(descriptor, forKey: .descriptor)
        try container.encode(savedTo, forKey: .savedTo)
    }
}

/// Saves attachments of received messages into a directory, with a progress bar.
struct AttachmentSaver: Sendable {
    let directory: URL

    init(path: String) throws {
        directory = URL(fileURLWithPath: (path as NSString).expandingTildeInPath, isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw CLIError("cannot create \(path): \(error.localizedDescription)")
        }
    }

    /// Downloads, verifies and decrypts the attachment of `message`; returns where it went.
    /// An existing file is never overwritten: `name (1).ext` and so on is used instead.
    func save(_ message: ChatMessage, via messenger: Messenger) async throws -> URL {
        guard let attachment = message.attachment else { throw CLIError("message \(message.id) has no attachment") }
        let destination = Self.freeName(attachment.displayName, in: directory)
        let bar = TransferProgressBar(label: "download")
        for await event in try messenger.downloadAttachment(of: message, to: destination) {
            bar.handler(event)
            if case .failed(let error) = event { throw CLIError("\(attachment.displayName): \(error)") }
        }
        guard FileManager.default.fileExists(atPath: destination.path) else {
            throw CLIError("\(attachment.displayName): the download ended without a file")
        }
        return destination
    }

    /// `name`, or `name (N).ext` for the first N that is not taken in `directory`.
    static func freeName(_ name: String, in directory: URL) -> URL {
        let safe = name.hasPrefix(".") ? "_" + name.dropFirst() : name
        var candidate = directory.appendingPathComponent(safe)
        let base = (safe as NSString).deletingPathExtension
        let ext = (safe as NSString).pathExtension
        var number = 1
        while FileManager.default.fileExists(atPath: candidate.path) {
            candidate = directory.appendingPathComponent(ext.isEmpty ? "\(base) (\(number))" : "\(base) (\(number)).\(ext)")
            number += 1
        }
        return candidate
    }
}

/// How many things failed, counted from concurrent tasks.
final class FailureCount: Sendable {
    private let count = Mutex(0)
    func add() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
