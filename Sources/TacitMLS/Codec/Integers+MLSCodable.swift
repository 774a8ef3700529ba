extension UInt8: MLSCodable {
    public func encode(to encoder: inout MLSEncoder) { encoder.write(self) }
    public init(from decoder: inout MLSDecoder) throws { self = try decoder.readUInt8() }
}

extension UInt16: MLSCodable {
    public func encode(to encoder: inout MLSEncoder) { encoder.write(self) }
    public init(from decoder: inout MLSDecoder) throws { self = try decoder.readUInt16() }
}

extension UInt32: MLSCodable {
    public func encode(to encoder: inout MLSEncoder) { encoder.write(self) }
    public init(from decoder: inout MLSDecoder) throws { self = try decoder.readUInt32() }
}

extension UInt64: MLSCodable {
    public func encode(to encoder: inout MLSEncoder) { encoder.write(self) }
    public init(from decoder: inout MLSDecoder) throws { self = try decoder.readUInt64() }
}
