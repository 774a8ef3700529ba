import Testing
@testable import TacitMLS

@Suite("TLS presentation codec")
struct CodecTests {
    @Test("varints use the minimal encoding and round-trip", arguments: [0, 1, 63, 64, 16383, 16384, (1 << 30) - 1])
    func varintRoundTrip(value: Int) throws {
        var encoder = MLSEncoder()
        encoder.writeVarint(value)
        let expectedLength = value < 64 ? 1 : value < 16384 ? 2 : 4
        #expect(encoder.bytes.count == expectedLength)
        var decoder = MLSDecoder(encoder.bytes)
        #expect(try decoder.readVarint() == value)
        try decoder.finish()
    }

    @Test("non-minimal varints are refused")
    func nonMinimal() {
        var two = MLSDecoder([0x40, 0x25])
        #expect(throws: MLSCodingError.nonMinimalLength(0x25)) { try two.readVarint() }
        var four = MLSDecoder([0x80, 0x00, 0x00, 0x25])
        #expect(throws: MLSCodingError.nonMinimalLength(0x25)) { try four.readVarint() }
        var reserved = MLSDecoder([0xc0, 0, 0, 0, 0, 0, 0, 1])
        #expect(throws: MLSCodingError.invalidLengthPrefix) { try reserved.readVarint() }
    }

    @Test("trailing bytes and truncation are refused")
    func strictness() {
        #expect(throws: MLSCodingError.trailingBytes(count: 1)) { try UInt16(mlsEncoded: [0, 1, 2]) }
        #expect(throws: MLSCodingError.truncated(needed: 2, available: 1)) { try UInt16(mlsEncoded: [0]) }
        var vector = MLSDecoder([0x05, 1, 2])
        #expect(throws: MLSCodingError.truncated(needed: 5, available: 2)) { try vector.readOpaque() }
    }

    @Test("vectors must be consumed exactly by their elements")
    func vectorConsumption() throws {
        var encoder = MLSEncoder()
        encoder.writeVector([UInt16(1), UInt16(2)])
        #expect(encoder.bytes == [4, 0, 1, 0, 2])
        var decoder = MLSDecoder(encoder.bytes)
        #expect(try decoder.readVector(of: UInt16.self) == [1, 2])
        var odd = MLSDecoder([3, 0, 1, 0])
        #expect(throws: MLSCodingError.truncated(needed: 2, available: 1)) { try odd.readVector(of: UInt16.self) }
    }

    @Test("optional presence byte is 0 or 1")
    func optional() throws {
        var encoder = MLSEncoder()
        encoder.writeOptional(UInt8(7) as UInt8?)
        encoder.writeOptional(UInt8?.none)
        #expect(encoder.bytes == [1, 7, 0])
        var bad = MLSDecoder([2, 7])
        #expect(throws: MLSCodingError.invalidOptionalPresence(2)) { try bad.readOptional(UInt8.self) }
    }
}
