import Foundation

/// A file, photo, voice message or video sent in a conversation: the ``AttachmentDescriptor``
/// that lets members fetch, verify and decrypt the blob, with how to show it.
///
/// It travels inside the MLS message (the `Attachment` of content.proto) and is stored with
/// the message on each device (sealed, like the rest of the message); the server only ever
/// sees the encrypted blob.
public struct MessageAttachment: Sendable, Hashable, Codable {
    /// How the app shows an attachment.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// Any file, shown by name and size.
        case file
        /// An image, shown inline where the app can.
        case photo
        /// A recorded voice message.
        case voice
        /// A video clip.
        case video
    }

    /// Blob id, key, digest, sizes, media type and file name.
    public var descriptor: AttachmentDescriptor
    public var kind: Kind
    /// Text sent with it; empty: none.
    public var caption: String

    public init(descriptor: AttachmentDescriptor, kind: Kind, caption: String = "") {
        self.descriptor = descriptor
        self.kind = kind
        self.caption = caption
    }

    /// The name to show and suggest when saving: the sender's file name (never a path) or
    /// a name made from the kind and the blob id.
    public var displayName: String {
        if let name = descriptor.fileName { return (name as NSString).lastPathComponent }
        return "\(kind.rawValue)-\(descriptor.blobID.prefix(12))"
    }

    /// The plaintext size in bytes.
    public var size: UInt64 { descriptor.file.plaintextSize }

    /// `[file report.pdf 1.2 MB]`: how a one-line view shows it.
    public var summary: String {
        var parts = ["\(kind.rawValue) \(displayName) \(Self.formatSize(size))"]
        if let duration = descriptor.durationMilliseconds { parts.append(Self.formatDuration(duration)) }
        return "[" + parts.joined(separator: " ") + "]"
    }

    /// `0 B`, `812 B`, `1.2 kB`, `3.4 MB`, `1.1 GB` (decimal units, one decimal).
    public static func formatSize(_ bytes: UInt64) -> String {
        guard bytes >= 1000 else { return "\(bytes) B" }
        var value = Double(bytes)
        for unit in ["kB", "MB", "GB", "TB"] {
            value /= 1000
            if value < 999.95 || unit == "TB" { return String(format: "%.1f %@", value, unit) }
        }
        return "\(bytes) B"
    }

    /// `0:07`, `12:34`, `1:02:03`.
    static func formatDuration(_ milliseconds: UInt64) -> String {
        let seconds = milliseconds / 1000
        let (hours, minutes, rest) = (seconds / 3600, seconds / 60 % 60, seconds % 60)
        return hours > 0 ? String(format: "%llu:%02llu:%02llu", hours, minutes, rest)
            : String(format: "%llu:%02llu", minutes, rest)
    }

    // Stored with the message as JSON; the descriptor as its binary encoding.
    private enum CodingKeys: String, CodingKey { case descriptor, kind, caption }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let bytes = try container.decode(Data.self, forKey: .descriptor)
        do {
            descriptor = try AttachmentDescriptor(serializedBytes: bytes)
        } catch {
            throw DecodingError.dataCorruptedError(forKey: .descriptor, in: container,
                                                   debugDescription: "not an attachment descriptor: \(error)")
        }
        kind = try container.decode(Kind.self, forKey: .kind)
        caption = try container.decode(String.self, forKey: .caption)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Data(descriptor.serializedBytes()), forKey: .descriptor)
        try container.encode(kind, forKey: .kind)
        try container.encode(caption, forKey: .caption)
    }
}
