import Foundation

/// Locates and loads the official MLS test vectors (`shared/mls-test-vectors`).
///
/// Looks at `TACIT_MLS_VECTORS`, then walks up from this file and from the working
/// directory for a `shared/mls-test-vectors` folder (the layout of a checkout beside `shared/`).
enum TestVectors {
    static let directory: URL? = {
        let fm = FileManager.default
        if let env = ProcessInfo.processInfo.environment["TACIT_MLS_VECTORS"], fm.fileExists(atPath: env) {
            return URL(fileURLWithPath: env)
        }
        let starts = [URL(fileURLWithPath: #filePath).deletingLastPathComponent(),
                      URL(fileURLWithPath: fm.currentDirectoryPath)]
        for start in starts {
            var dir = start
            while dir.path != "/" {
                let candidate = dir.appendingPathComponent("shared/mls-test-vectors")
                if fm.fileExists(atPath: candidate.appendingPathComponent("tree-math.json").path) {
                    return candidate
                }
                dir = dir.deletingLastPathComponent()
            }
        }
        return nil
    }()

    struct Missing: Error, CustomStringConvertible {
        let file: String
        var description: String { "MLS test vector file \(file) not found; set TACIT_MLS_VECTORS" }
    }

    /// Raw bytes of a vector file; throws (so the test fails, never silently skips) when absent.
    static func data(_ file: String) throws -> Data {
        guard let dir = directory else { throw Missing(file: file) }
        return try Data(contentsOf: dir.appendingPathComponent(file))
    }

    /// Decodes a vector file into `T` (usually an array of entry structs).
    static func load<T: Decodable>(_ file: String, as _: T.Type = T.self) throws -> T {
        try JSONDecoder().decode(T.self, from: data(file))
    }
}

/// Hex helpers for vectors.
extension Array where Element == UInt8 {
    init(hex: String) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hex.utf8.count / 2)
        var iterator = hex.utf8.makeIterator()
        func nibble(_ c: UInt8) -> UInt8 {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
            default: preconditionFailure("bad hex digit")
            }
        }
        while let hi = iterator.next(), let lo = iterator.next() {
            bytes.append(nibble(hi) << 4 | nibble(lo))
        }
        self = bytes
    }

    var hex: String { map { String(format: "%02x", $0) }.joined() }
}

/// A hex string in a vector's JSON, decoded to bytes.
struct HexBytes: Decodable, Equatable, CustomStringConvertible {
    let bytes: [UInt8]
    init(from decoder: any Decoder) throws {
        bytes = [UInt8](hex: try decoder.singleValueContainer().decode(String.self))
    }
    var description: String { bytes.hex }
}
