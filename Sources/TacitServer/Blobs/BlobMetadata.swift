import Crypto
import Foundation

/// The sidecar file kept beside each blob's bytes: everything the store knows about it.
///
/// JSON, rewritten whole and atomically (temporary file, then rename). Its existence is the
/// commit point: a blob exists exactly when its sidecar does.
struct BlobMetadata: Codable, Equatable, Sendable {
    static let currentVersion = 1

    var version: Int = BlobMetadata.currentVersion
    var owner: String
    var state: BlobState
    /// Confirmed bytes. The data file may be longer after a crash mid-append; the excess was
    /// never confirmed and is cut off before the next append.
    var length: UInt64
    var declaredSize: UInt64?
    /// Times are kept as whole milliseconds since 1970, so a ``BlobInfo`` made from a fresh
    /// value equals one made from the value read back.
    var createdAtMilliseconds: Int64
    var updatedAtMilliseconds: Int64
    var expiresAtMilliseconds: Int64
    var expectedFetchCount: Int
    /// One token per distinct fetcher, up to `expectedFetchCount` of them: the first 16 bytes of
    /// SHA-256 of blob id and fetcher, so the sidecar does not list device ids.
    var fetchTokens: [String]
    /// Hex SHA-256 checked on finish, if the client gave one.
    var sha256: String?

    init(
        owner: String, state: BlobState, length: UInt64, declaredSize: UInt64?, createdAt: Date, updatedAt: Date,
        expiresAt: Date, expectedFetchCount: Int, fetchTokens: [String], sha256: String?
    ) {
        self.owner = owner
        self.state = state
        self.length = length
        self.declaredSize = declaredSize
        self.createdAtMilliseconds = Self.milliseconds(createdAt)
        self.updatedAtMilliseconds = Self.milliseconds(updatedAt)
        self.expiresAtMilliseconds = Self.milliseconds(expiresAt)
        self.expectedFetchCount = expectedFetchCount
        self.fetchTokens = fetchTokens
        self.sha256 = sha256
    }

    var createdAt: Date {
        get { Self.date(createdAtMilliseconds) }
        set { createdAtMilliseconds = Self.milliseconds(newValue) }
    }

    var updatedAt: Date {
        get { Self.date(updatedAtMilliseconds) }
        set { updatedAtMilliseconds = Self.milliseconds(newValue) }
    }

    var expiresAt: Date {
        get { Self.date(expiresAtMilliseconds) }
        set { expiresAtMilliseconds = Self.milliseconds(newValue) }
    }

    private static func milliseconds(_ date: Date) -> Int64 {
        let value = (date.timeIntervalSince1970 * 1000).rounded(.down)
        return value.isFinite ? Int64(Swift.max(Swift.min(value, 9e15), -9e15)) : 0
    }

    private static func date(_ milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    /// Bytes this blob counts against its owner's quota.
    var reservedBytes: UInt64 {
        state == .uploading ? Swift.max(declaredSize ?? 0, length) : length
    }

    func info(id: BlobID) -> BlobInfo {
        BlobInfo(
            id: id, owner: BlobOwnerID(owner), state: state, length: length, declaredSize: declaredSize,
            createdAt: createdAt, updatedAt: updatedAt, expiresAt: expiresAt,
            expectedFetchCount: expectedFetchCount, fetchCount: fetchTokens.count,
            sha256: sha256.flatMap(BlobHex.decode))
    }

    static func fetchToken(id: BlobID, fetcher: String) -> String {
        BlobHex.encode(SHA256.hash(data: Array("\(id.hex)\u{0}\(fetcher)".utf8)).prefix(16))
    }

    func encoded() throws(BlobStoreError) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do { return try encoder.encode(self) } catch { throw .io("encode sidecar: \(error)") }
    }

    /// `nil` if the bytes are not a sidecar of a version this code reads.
    static func decoded(_ data: Data) -> BlobMetadata? {
        let decoder = JSONDecoder()
        guard let metadata = try? decoder.decode(BlobMetadata.self, from: data),
              metadata.version == currentVersion
        else { return nil }
        return metadata
    }
}
