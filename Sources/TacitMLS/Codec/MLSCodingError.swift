/// Why a TLS-presentation-language decode failed (RFC 9420, Section 2.1).
public enum MLSCodingError: Error, Equatable, Sendable {
    /// The input ended before a value was complete.
    case truncated(needed: Int, available: Int)
    /// Bytes were left over after a value that must consume its whole input.
    case trailingBytes(count: Int)
    /// A variable-length integer used more bytes than its value needs (Section 2.1.2).
    case nonMinimalLength(UInt64)
    /// A variable-length integer carried the reserved `0b11` prefix.
    case invalidLengthPrefix
    /// A length field exceeds the maximum the codec accepts.
    case lengthTooLarge(UInt64)
    /// An `optional<T>` presence byte was neither 0 nor 1.
    case invalidOptionalPresence(UInt8)
    /// An enumerated field carried a value this implementation does not know.
    case unknownEnumValue(type: String, value: UInt64)
    /// A structure was well-formed but violated a rule of the RFC.
    case invalidValue(String)
}
