import Testing
@testable import TacitMLS

/// Decodes `bytes` strictly as `T` and checks the value re-encodes to exactly `bytes`.
@discardableResult
func expectRoundTrip<T: MLSCodable>(
    _: T.Type, _ bytes: [UInt8], _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation
) throws -> T {
    let value = try T(mlsEncoded: bytes)
    #expect(value.mlsEncoded == bytes, comment, sourceLocation: sourceLocation)
    return value
}

/// Splits an encoded `MLSMessage` into its version, wire format and body, without the framing types.
func splitMLSMessage(_ bytes: [UInt8]) throws -> (version: UInt16, wireFormat: UInt16, body: [UInt8]) {
    var decoder = MLSDecoder(bytes)
    let version = try decoder.readUInt16()
    let wireFormat = try decoder.readUInt16()
    return (version, wireFormat, try decoder.readRaw(count: decoder.remaining))
}
