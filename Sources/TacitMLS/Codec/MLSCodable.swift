/// A value with a TLS-presentation-language encoding (RFC 9420, Section 2.1).
public protocol MLSEncodable {
    /// Appends the canonical encoding of `self` to `encoder`.
    func encode(to encoder: inout MLSEncoder)
}

/// A value that can be parsed strictly from its TLS-presentation-language encoding.
public protocol MLSDecodable {
    /// Reads one value from `decoder`, throwing ``MLSCodingError`` on malformed input.
    init(from decoder: inout MLSDecoder) throws
}

/// A value that can be both encoded and decoded.
public typealias MLSCodable = MLSEncodable & MLSDecodable

extension MLSEncodable {
    /// The canonical encoding of `self`.
    public var mlsEncoded: [UInt8] {
        var encoder = MLSEncoder()
        encode(to: &encoder)
        return encoder.bytes
    }
}

extension MLSDecodable {
    /// Decodes a value that must span exactly `bytes`; trailing bytes are an error.
    public init<Bytes: Collection>(mlsEncoded bytes: Bytes) throws where Bytes.Element == UInt8 {
        var decoder = MLSDecoder(bytes)
        self = try Self(from: &decoder)
        try decoder.finish()
    }
}
