import TacitMLS

/// deserialization.json: variable-length vector headers (RFC 9420, Section 2.1.2).
public enum DeserializationVectorRunner: MLSVectorRunner {
    public struct Entry: Decodable, Sendable {
        public let vlbytes_header: VectorHex
        public let length: Int
    }

    public static let kind = MLSVectorKind.deserialization
    public static var usesCipherSuite: Bool { false }
    /// Headers of longer vectors are checked as numbers only, to keep the run cheap.
    static let largestBodyBuilt = 1 << 16

    public static func check(_ entry: Entry, in context: MLSVectorContext) throws {
        let header = entry.vlbytes_header.bytes
        var decoder = MLSDecoder(header)
        try expectEqual(try step("reading the header") { try decoder.readVarint() }, entry.length, "decoded length")
        try step("header has trailing bytes") { try decoder.finish() }

        try expect(entry.length >= 0 && entry.length < 1 << 30, "length \(entry.length) is outside the varint range")
        var encoder = MLSEncoder()
        encoder.writeVarint(entry.length)
        try expectEqual(encoder.bytes, header, "encoded header of \(entry.length)")

        // As a vector header: exactly `length` bytes must follow.
        guard entry.length <= largestBodyBuilt else { return }
        let body = [UInt8](repeating: 0xab, count: entry.length)
        var exact = MLSDecoder(header + body)
        try expectEqual(try step("reading a vector of \(entry.length) bytes") { try exact.readOpaque() }, body, "vector body")
        try step("vector of \(entry.length) bytes has trailing bytes") { try exact.finish() }
        if entry.length > 0 {
            var short = MLSDecoder(header + body.dropLast())
            try expectRefused("a vector one byte short") { _ = try short.readOpaque() }
        }
        var long = MLSDecoder(header + body + [0])
        _ = try step("reading a vector with one byte after it") { try long.readOpaque() }
        try expectRefused("a trailing byte after the vector") { try long.finish() }
    }
}
