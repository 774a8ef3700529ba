/// Reads values in the TLS presentation language used by RFC 9420 (Section 2.1).
///
/// Decoding is strict: lengths must be minimal, vectors must be consumed exactly, and
/// top-level values must consume all input (``finish()``).
public struct MLSDecoder: Sendable {
    /// Upper bound for one vector's length; larger claims are refused before allocating.
    public static let maximumVectorLength = 1 << 30

    private let storage: [UInt8]
    private var position: Int
    private let end: Int

    /// Creates a decoder over `bytes`.
    public init<Bytes: Collection>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        storage = Array(bytes)
        position = 0
        end = storage.count
    }

    private init(storage: [UInt8], position: Int, end: Int) {
        self.storage = storage
        self.position = position
        self.end = end
    }

    /// Bytes left to read.
    public var remaining: Int { end - position }

    /// Whether every byte has been read.
    public var isAtEnd: Bool { position == end }

    /// Throws unless every byte has been consumed.
    public func finish() throws {
        if position != end { throw MLSCodingError.trailingBytes(count: end - position) }
    }

    private mutating func take(_ count: Int) throws -> ArraySlice<UInt8> {
        guard count <= remaining else { throw MLSCodingError.truncated(needed: count, available: remaining) }
        defer { position += count }
        return storage[position..<(position + count)]
    }

    public mutating func readUInt8() throws -> UInt8 { try take(1).first! }

    public mutating func readUInt16() throws -> UInt16 {
        let b = try take(2)
        return b.reduce(0) { $0 << 8 | UInt16($1) }
    }

    public mutating func readUInt32() throws -> UInt32 {
        let b = try take(4)
        return b.reduce(0) { $0 << 8 | UInt32($1) }
    }

    public mutating func readUInt64() throws -> UInt64 {
        let b = try take(8)
        return b.reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// Reads a boolean byte; only 0 and 1 are valid.
    public mutating func readBool() throws -> Bool {
        switch try readUInt8() {
        case 0: return false
        case 1: return true
        case let other: throw MLSCodingError.invalidValue("boolean byte \(other)")
        }
    }

    /// Reads `count` raw bytes (a fixed-size field).
    public mutating func readRaw(count: Int) throws -> [UInt8] { Array(try take(count)) }

    /// Reads a minimal variable-length integer (Section 2.1.2).
    public mutating func readVarint() throws -> Int {
        let first = try readUInt8()
        let value: UInt64
        switch first >> 6 {
        case 0:
            return Int(first)
        case 1:
            value = UInt64(first & 0x3f) << 8 | UInt64(try readUInt8())
            if value < 64 { throw MLSCodingError.nonMinimalLength(value) }
        case 2:
            let rest = try take(3)
            value = rest.reduce(UInt64(first & 0x3f)) { $0 << 8 | UInt64($1) }
            if value < 16384 { throw MLSCodingError.nonMinimalLength(value) }
        default:
            throw MLSCodingError.invalidLengthPrefix
        }
        return Int(value)
    }

    private mutating func readLength() throws -> Int {
        let length = try readVarint()
        guard length <= Self.maximumVectorLength else { throw MLSCodingError.lengthTooLarge(UInt64(length)) }
        guard length <= remaining else { throw MLSCodingError.truncated(needed: length, available: remaining) }
        return length
    }

    /// Reads `opaque data<V>`.
    public mutating func readOpaque() throws -> [UInt8] {
        let length = try readLength()
        return Array(try take(length))
    }

    /// Reads a length-prefixed vector as a sub-decoder that must be consumed by `body`.
    public mutating func readVector<Result>(_ body: (inout MLSDecoder) throws -> Result) throws -> Result {
        let length = try readLength()
        var inner = MLSDecoder(storage: storage, position: position, end: position + length)
        position += length
        let result = try body(&inner)
        try inner.finish()
        return result
    }

    /// Reads `T items<V>`.
    public mutating func readVector<Element: MLSDecodable>(of _: Element.Type = Element.self) throws -> [Element] {
        try readVector { inner in
            var items: [Element] = []
            while !inner.isAtEnd { items.append(try Element(from: &inner)) }
            return items
        }
    }

    /// Reads `optional<T>`.
    public mutating func readOptional<Value: MLSDecodable>(_: Value.Type = Value.self) throws -> Value? {
        switch try readUInt8() {
        case 0: return nil
        case 1: return try Value(from: &self)
        case let other: throw MLSCodingError.invalidOptionalPresence(other)
        }
    }

    /// Reads any decodable value.
    public mutating func read<Value: MLSDecodable>(_: Value.Type = Value.self) throws -> Value {
        try Value(from: &self)
    }
}
