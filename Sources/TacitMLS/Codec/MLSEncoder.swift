/// Writes values in the TLS presentation language used by RFC 9420 (Section 2.1).
///
/// Integers are big-endian; variable-length vectors carry the minimal QUIC-style length
/// prefix of Section 2.1.2.
public struct MLSEncoder: Sendable {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8]

    /// Creates an empty encoder, optionally reserving room for `capacity` bytes.
    public init(capacity: Int = 64) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    public mutating func write(_ value: UInt8) { bytes.append(value) }

    public mutating func write(_ value: UInt16) {
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value))
    }

    public mutating func write(_ value: UInt32) {
        for shift in stride(from: 24, through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift)))
        }
    }

    public mutating func write(_ value: UInt64) {
        for shift in stride(from: 56, through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
        }
    }

    /// Writes a boolean as one byte, 0 or 1.
    public mutating func write(_ value: Bool) { bytes.append(value ? 1 : 0) }

    /// Writes raw bytes with no length prefix (fixed-size fields).
    public mutating func writeRaw<Bytes: Sequence>(_ raw: Bytes) where Bytes.Element == UInt8 {
        bytes.append(contentsOf: raw)
    }

    /// Writes the minimal variable-length integer for `value` (Section 2.1.2).
    public mutating func writeVarint(_ value: Int) {
        precondition(value >= 0 && value < 1 << 30, "MLS varint out of range")
        switch value {
        case 0..<64:
            bytes.append(UInt8(value))
        case 64..<16384:
            write(UInt16(value) | 0x4000)
        default:
            write(UInt32(value) | 0x8000_0000)
        }
    }

    /// Writes `opaque data<V>`: a varint length followed by the bytes.
    public mutating func writeOpaque<Bytes: Collection>(_ data: Bytes) where Bytes.Element == UInt8 {
        writeVarint(data.count)
        bytes.append(contentsOf: data)
    }

    /// Writes `T items<V>`: a varint byte length followed by each element's encoding.
    public mutating func writeVector<Elements: Sequence>(_ items: Elements) where Elements.Element: MLSEncodable {
        writeVector { encoder in
            for item in items { item.encode(to: &encoder) }
        }
    }

    /// Writes a length-prefixed vector whose body is produced by `body`.
    public mutating func writeVector(_ body: (inout MLSEncoder) -> Void) {
        var inner = MLSEncoder()
        body(&inner)
        writeOpaque(inner.bytes)
    }

    /// Writes `optional<T>`: a presence byte and, when present, the value.
    public mutating func writeOptional<Value: MLSEncodable>(_ value: Value?) {
        if let value {
            write(UInt8(1))
            value.encode(to: &self)
        } else {
            write(UInt8(0))
        }
    }

    /// Writes any encodable value.
    public mutating func write<Value: MLSEncodable>(_ value: Value) {
        value.encode(to: &self)
    }
}
