import Foundation

/// The bytes of a blob range, read lazily in pieces of at most ``pieceSize`` bytes: what an
/// HTTP handler streams as the response body.
///
/// The file was opened when the blob was looked up, so a delete (or sweep) that happens
/// mid-download does not cut the download short.
public struct BlobByteStream: AsyncSequence, Sendable {
    public typealias Element = Data

    /// Bytes per piece: 256 KiB.
    public static let pieceSize = 256 * 1024

    let file: BlobReadFile
    public let range: Range<UInt64>

    init(file: BlobReadFile, range: Range<UInt64>) {
        self.file = file
        self.range = range
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let file: BlobReadFile
        var offset: UInt64
        let end: UInt64

        public mutating func next() async throws -> Data? {
            guard offset < end else { return nil }
            let count = Int(Swift.min(UInt64(BlobByteStream.pieceSize), end - offset))
            let piece = try BlobFileSystem.readUpTo(file.descriptor, count: count, at: offset, path: file.path)
            guard piece.count == count else {
                offset = end
                throw BlobStoreError.io("\(file.path) is shorter than its confirmed length")
            }
            offset += UInt64(count)
            return piece
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(file: file, offset: range.lowerBound, end: range.upperBound)
    }
}

/// An open, read-only blob file, closed when the last stream over it goes away.
final class BlobReadFile: Sendable {
    let descriptor: Int32
    let path: String

    init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    deinit { BlobFileSystem.closeFile(descriptor) }
}
