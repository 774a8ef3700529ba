import Foundation

/// The binary encoding of ``AttachmentDescriptor``, version 1.
///
/// ```
/// descriptor = version (0x01) || field*
/// field      = tag (1 byte) || length (uint16, big-endian) || value (length bytes)
///
/// tag  field                 value
///  1   blobID                UTF-8, 1...128 of [A-Za-z0-9_-]
///  2   key                   32 bytes
///  3   noncePrefix           8 bytes
///  4   chunkSize             uint32
///  5   ciphertextSHA256      32 bytes
///  6   plaintextSize         uint64
///  7   ciphertextSize        uint64
///  8   mediaType             UTF-8, printable ASCII with a "/"
///  9   fileName              UTF-8 (optional)
/// 10   imageSize             uint32 width || uint32 height (optional)
/// 11   durationMilliseconds  uint64 (optional)
/// 12   thumbnail             fields 1-8 and 10 of the thumbnail, same framing, no version
///                            byte (optional)
/// ```
///
/// Integers are big-endian. Tags appear in strictly increasing order, so each at most once and
/// the encoding of a value is unique. Unknown tags are skipped, so a later version can add
/// fields that older clients ignore; a change that older clients must not ignore gets a new
/// version byte.
public enum AttachmentDescriptorCoding {
    static let version: UInt8 = 1

    enum Tag: UInt8 {
        case blobID = 1, key, noncePrefix, chunkSize, ciphertextSHA256, plaintextSize, ciphertextSize
        case mediaType, fileName, imageSize, durationMilliseconds, thumbnail
    }
}

extension AttachmentDescriptor {
    /// The version 1 encoding (see ``AttachmentDescriptorCoding``).
    public func serializedBytes() -> [UInt8] {
        var writer = AttachmentFieldWriter()
        writer.bytes.append(AttachmentDescriptorCoding.version)
        writer.appendReference(blobID: blobID, file: file, mediaType: mediaType)
        if let fileName { writer.append(.fileName, Array(fileName.utf8)) }
        if let imageSize { writer.append(.imageSize, imageSize) }
        if let durationMilliseconds { writer.append(.durationMilliseconds, durationMilliseconds) }
        if let thumbnail {
            var nested = AttachmentFieldWriter()
            nested.appendReference(blobID: thumbnail.blobID, file: thumbnail.file, mediaType: thumbnail.mediaType)
            if let size = thumbnail.imageSize { nested.append(.imageSize, size) }
            writer.append(.thumbnail, nested.bytes)
        }
        return writer.bytes
    }

    /// Decodes and validates the version 1 encoding.
    public init(serializedBytes bytes: some Collection<UInt8>) throws(AttachmentDescriptorError) {
        let bytes = Array(bytes)
        guard let version = bytes.first else { throw .truncated }
        guard version == AttachmentDescriptorCoding.version else { throw .unsupportedVersion(version) }
        let fields = try AttachmentFieldReader.fields(of: bytes[1...])
        var thumbnail: AttachmentThumbnailDescriptor?
        if let nested = fields[.thumbnail] {
            let thumbnailFields = try AttachmentFieldReader.fields(of: nested)
            thumbnail = try AttachmentThumbnailDescriptor(
                blobID: thumbnailFields.requiredString(.blobID), file: thumbnailFields.file(),
                mediaType: thumbnailFields.requiredString(.mediaType), imageSize: thumbnailFields.imageSize())
        }
        try self.init(
            blobID: fields.requiredString(.blobID), file: fields.file(),
            mediaType: fields.requiredString(.mediaType), fileName: fields.string(.fileName),
            imageSize: fields.imageSize(), durationMilliseconds: fields.uint64(.durationMilliseconds),
            thumbnail: thumbnail)
    }
}

/// Appends tag-length-value fields.
struct AttachmentFieldWriter {
    var bytes: [UInt8] = []

    mutating func append(_ tag: AttachmentDescriptorCoding.Tag, _ value: [UInt8]) {
        // Every value this type produces is far below 64 KiB: names are capped at 1 KiB.
        bytes.append(tag.rawValue)
        bytes.append(UInt8(truncatingIfNeeded: value.count >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value.count))
        bytes.append(contentsOf: value)
    }

    mutating func append(_ tag: AttachmentDescriptorCoding.Tag, _ value: UInt64) {
        append(tag, AttachmentFormat.bigEndian(UInt32(truncatingIfNeeded: value >> 32))
            + AttachmentFormat.bigEndian(UInt32(truncatingIfNeeded: value)))
    }

    mutating func append(_ tag: AttachmentDescriptorCoding.Tag, _ size: AttachmentImageSize) {
        append(tag, AttachmentFormat.bigEndian(size.width) + AttachmentFormat.bigEndian(size.height))
    }

    mutating func appendReference(blobID: String, file: AttachmentEncryptedFile, mediaType: String) {
        append(.blobID, Array(blobID.utf8))
        append(.key, Array(file.key))
        append(.noncePrefix, Array(file.noncePrefix))
        append(.chunkSize, AttachmentFormat.bigEndian(UInt32(truncatingIfNeeded: file.chunkSize)))
        append(.ciphertextSHA256, Array(file.ciphertextSHA256))
        append(.plaintextSize, file.plaintextSize)
        append(.ciphertextSize, file.ciphertextSize)
        append(.mediaType, Array(mediaType.utf8))
    }
}

/// The known fields of one tag-length-value sequence, by tag.
struct AttachmentFieldReader {
    private var values: [AttachmentDescriptorCoding.Tag: ArraySlice<UInt8>] = [:]

    static func fields(of bytes: ArraySlice<UInt8>) throws(AttachmentDescriptorError) -> AttachmentFieldReader {
        var reader = AttachmentFieldReader()
        var index = bytes.startIndex
        var previousTag: UInt8 = 0
        while index < bytes.endIndex {
            guard bytes.endIndex - index >= 3 else { throw .truncated }
            let tag = bytes[index]
            let length = Int(bytes[index + 1]) << 8 | Int(bytes[index + 2])
            index += 3
            guard tag > previousTag else { throw .fieldOutOfOrder(tag: tag) }
            previousTag = tag
            guard bytes.endIndex - index >= length else { throw .truncated }
            if let known = AttachmentDescriptorCoding.Tag(rawValue: tag) {
                reader.values[known] = bytes[index..<(index + length)]
            }
            index += length
        }
        return reader
    }

    subscript(tag: AttachmentDescriptorCoding.Tag) -> ArraySlice<UInt8>? { values[tag] }

    func requiredBytes(_ tag: AttachmentDescriptorCoding.Tag) throws(AttachmentDescriptorError) -> ArraySlice<UInt8> {
        guard let value = values[tag] else { throw .missingField("\(tag)") }
        return value
    }

    func string(_ tag: AttachmentDescriptorCoding.Tag) throws(AttachmentDescriptorError) -> String? {
        guard let value = values[tag] else { return nil }
        guard let string = String(validating: value, as: UTF8.self) else { throw .invalidField("\(tag)") }
        return string
    }

    func requiredString(_ tag: AttachmentDescriptorCoding.Tag) throws(AttachmentDescriptorError) -> String {
        guard let string = try string(tag) else { throw .missingField("\(tag)") }
        return string
    }

    func uint64(_ tag: AttachmentDescriptorCoding.Tag) throws(AttachmentDescriptorError) -> UInt64? {
        guard let value = values[tag] else { return nil }
        guard value.count == 8 else { throw .invalidField("\(tag)") }
        return value.reduce(0) { $0 << 8 | UInt64($1) }
    }

    func requiredUInt32(_ tag: AttachmentDescriptorCoding.Tag) throws(AttachmentDescriptorError) -> UInt32 {
        let value = try requiredBytes(tag)
        guard value.count == 4 else { throw .invalidField("\(tag)") }
        return value.reduce(0) { $0 << 8 | UInt32($1) }
    }

    func imageSize() throws(AttachmentDescriptorError) -> AttachmentImageSize? {
        guard let value = values[.imageSize] else { return nil }
        guard value.count == 8 else { throw .invalidField("imageSize") }
        let width = value.prefix(4).reduce(0) { $0 << 8 | UInt32($1) }
        let height = value.suffix(4).reduce(0) { $0 << 8 | UInt32($1) }
        return try AttachmentImageSize(width: width, height: height)
    }

    func file() throws(AttachmentDescriptorError) -> AttachmentEncryptedFile {
        guard let plaintextSize = try uint64(.plaintextSize) else { throw .missingField("plaintextSize") }
        guard let ciphertextSize = try uint64(.ciphertextSize) else { throw .missingField("ciphertextSize") }
        return try AttachmentEncryptedFile(
            key: Data(requiredBytes(.key)), noncePrefix: Data(requiredBytes(.noncePrefix)),
            chunkSize: Int(requiredUInt32(.chunkSize)), ciphertextSHA256: Data(requiredBytes(.ciphertextSHA256)),
            plaintextSize: plaintextSize, ciphertextSize: ciphertextSize)
    }
}
