import Foundation

/// What a recipient needs to fetch, verify, decrypt and show one attachment; it travels inside
/// the encrypted (MLS) message, never in the clear.
///
/// Encoded with ``serializedBytes()`` / ``init(serializedBytes:)`` (see
/// ``AttachmentDescriptorCoding`` for the byte layout). Every initializer validates, so a value
/// of this type always describes a blob the decryptor can check.
///
/// `fileName` comes from another device: it never contains path separators, control
/// characters or bidirectional overrides, but it is still a suggestion to show, not a path to write to unchecked.
public struct AttachmentDescriptor: Hashable, Sendable {
    /// The server's id of the uploaded blob.
    public let blobID: String
    /// Key, nonce prefix, chunk size, digest and sizes of the blob.
    public let file: AttachmentEncryptedFile
    /// MIME type of the plaintext, such as `image/jpeg` or `audio/ogg; codecs=opus`.
    public let mediaType: String
    /// The sender's name for the file.
    public let fileName: String?
    /// Pixel size of an image or video.
    public let imageSize: AttachmentImageSize?
    /// Play time of audio or video, in milliseconds.
    public let durationMilliseconds: UInt64?
    /// A small preview image, uploaded as its own blob.
    public let thumbnail: AttachmentThumbnailDescriptor?

    public init(
        blobID: String, file: AttachmentEncryptedFile, mediaType: String, fileName: String? = nil,
        imageSize: AttachmentImageSize? = nil, durationMilliseconds: UInt64? = nil,
        thumbnail: AttachmentThumbnailDescriptor? = nil
    ) throws(AttachmentDescriptorError) {
        try AttachmentDescriptorRules.checkBlobID(blobID)
        try AttachmentDescriptorRules.checkMediaType(mediaType)
        if let fileName { try AttachmentDescriptorRules.checkFileName(fileName) }
        self.blobID = blobID
        self.file = file
        self.mediaType = mediaType
        self.fileName = fileName
        self.imageSize = imageSize
        self.durationMilliseconds = durationMilliseconds
        self.thumbnail = thumbnail
    }
}

/// A preview image of an attachment, stored as a separate small blob so the message can be
/// shown before (or without) fetching the full file.
public struct AttachmentThumbnailDescriptor: Hashable, Sendable {
    /// The server's id of the thumbnail's blob.
    public let blobID: String
    /// Key, nonce prefix, chunk size, digest and sizes of the thumbnail's blob.
    public let file: AttachmentEncryptedFile
    /// MIME type of the thumbnail image, such as `image/jpeg`.
    public let mediaType: String
    /// Pixel size of the thumbnail.
    public let imageSize: AttachmentImageSize?

    public init(
        blobID: String, file: AttachmentEncryptedFile, mediaType: String, imageSize: AttachmentImageSize? = nil
    ) throws(AttachmentDescriptorError) {
        try AttachmentDescriptorRules.checkBlobID(blobID)
        try AttachmentDescriptorRules.checkMediaType(mediaType)
        self.blobID = blobID
        self.file = file
        self.mediaType = mediaType
        self.imageSize = imageSize
    }
}

/// Width and height in pixels, both at least 1.
public struct AttachmentImageSize: Hashable, Sendable {
    /// Pixels across.
    public let width: UInt32
    /// Pixels down.
    public let height: UInt32

    public init(width: UInt32, height: UInt32) throws(AttachmentDescriptorError) {
        guard width > 0, height > 0 else { throw .invalidField("imageSize") }
        self.width = width
        self.height = height
    }
}

/// Why a descriptor could not be built or decoded.
public enum AttachmentDescriptorError: Error, Equatable, Sendable {
    /// The encoding starts with a version this code does not know.
    case unsupportedVersion(UInt8)
    /// The bytes end inside a field.
    case truncated
    /// A field tag is not greater than the one before (duplicate or out of order).
    case fieldOutOfOrder(tag: UInt8)
    /// A required field is absent.
    case missingField(String)
    /// A field has the wrong length or a value outside its range.
    case invalidField(String)
}

/// Value rules shared by the initializers and the decoder.
enum AttachmentDescriptorRules {
    static func checkBlobID(_ id: String) throws(AttachmentDescriptorError) {
        let bytes = Array(id.utf8)
        let allowed = { (byte: UInt8) in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                || byte == 0x2D || byte == 0x5F
        }
        guard (1...128).contains(bytes.count), bytes.allSatisfy(allowed) else { throw .invalidField("blobID") }
    }

    static func checkMediaType(_ type: String) throws(AttachmentDescriptorError) {
        let bytes = Array(type.utf8)
        guard (3...255).contains(bytes.count), bytes.allSatisfy({ (0x20...0x7E).contains($0) }),
              bytes.contains(0x2F)
        else { throw .invalidField("mediaType") }
    }

    static func checkFileName(_ name: String) throws(AttachmentDescriptorError) {
        // Control characters, path separators, and bidirectional overrides (which can make
        // "photo\u{202E}gpj.exe" display as "photoexe.jpg").
        let forbidden = { (scalar: Unicode.Scalar) in
            scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
                || (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
                || scalar == "/" || scalar == "\\"
        }
        guard (1...1024).contains(name.utf8.count), name != ".", name != "..",
              !name.unicodeScalars.contains(where: forbidden)
        else { throw .invalidField("fileName") }
    }
}
