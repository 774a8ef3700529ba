import Crypto
import Foundation
@testable import TacitClient

/// A fresh directory under the system temp dir, removed by `remove()`.
struct AttachmentTestDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("tacit-attachment-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    /// Names of everything in the directory, hidden files included.
    func contents() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

/// Deterministic pseudo-random bytes (xorshift64*), fast enough for tens of MiB.
struct AttachmentTestBytes {
    private var state: UInt64

    init(seed: UInt64) { state = seed | 1 }

    mutating func next(_ count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var index = 0
        while index < count {
            state ^= state >> 12
            state ^= state << 25
            state ^= state >> 27
            var word = state &* 0x2545_F491_4F6C_DD1D
            for _ in 0..<8 where index < count {
                bytes[index] = UInt8(truncatingIfNeeded: word)
                word >>= 8
                index += 1
            }
        }
        return bytes
    }

    /// Writes `count` bytes to `url` in 1 MiB pieces; returns their SHA-256.
    static func writeFile(_ url: URL, count: Int, seed: UInt64) throws -> Data {
        var generator = AttachmentTestBytes(seed: seed)
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        var hash = SHA256()
        var remaining = count
        while remaining > 0 {
            let piece = generator.next(Swift.min(remaining, 1 << 20))
            hash.update(data: piece)
            try handle.write(contentsOf: piece)
            remaining -= piece.count
        }
        return Data(hash.finalize())
    }
}

enum AttachmentTestFiles {
    /// SHA-256 of a file, read in 1 MiB pieces.
    static func sha256(of url: URL) throws -> Data {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var hash = SHA256()
        while let piece = try handle.read(upToCount: 1 << 20), !piece.isEmpty { hash.update(data: piece) }
        return Data(hash.finalize())
    }

    static func size(of url: URL) throws -> UInt64 {
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        return (attributes[.size] as? NSNumber)?.uint64Value ?? 0
    }

    /// Whether `needle` occurs anywhere in the file, across read boundaries too.
    static func contains(_ needle: [UInt8], in url: URL) throws -> Bool {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var carry: [UInt8] = []
        while let piece = try handle.read(upToCount: 1 << 20), !piece.isEmpty {
            let window = carry + Array(piece)
            if AttachmentTestFiles.firstIndex(of: needle, in: window) != nil { return true }
            carry = Array(window.suffix(needle.count - 1))
        }
        return false
    }

    static func firstIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if haystack[start..<(start + needle.count)].elementsEqual(needle) { return start }
        }
        return nil
    }
}

/// An async sequence over fixed pieces, to drive the AsyncSequence entry points.
struct AttachmentTestPieces: AsyncSequence, Sendable {
    typealias Element = [UInt8]
    let pieces: [[UInt8]]

    /// Cuts `bytes` into pieces whose sizes cycle through `sizes`.
    init(_ bytes: [UInt8], sizes: [Int]) {
        var pieces: [[UInt8]] = []
        var index = 0
        var next = 0
        while index < bytes.count {
            let size = Swift.max(1, sizes[next % sizes.count])
            pieces.append(Array(bytes[index..<Swift.min(bytes.count, index + size)]))
            index += size
            next += 1
        }
        self.pieces = pieces
    }

    struct AsyncIterator: AsyncIteratorProtocol {
        var remaining: IndexingIterator<[[UInt8]]>
        mutating func next() async -> [UInt8]? { remaining.next() }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(remaining: pieces.makeIterator()) }
}
