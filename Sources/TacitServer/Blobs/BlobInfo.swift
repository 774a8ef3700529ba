import Foundation

/// Whether a blob's upload is still in progress.
public enum BlobState: String, Codable, Sendable {
    /// Bytes are being appended; only the owner sees the blob.
    case uploading
    /// Finished and readable by anyone who knows its id.
    case complete
}

/// What the store knows about one blob. Nothing in it describes the blob's content.
public struct BlobInfo: Equatable, Sendable {
    public var id: BlobID
    public var owner: BlobOwnerID
    public var state: BlobState
    /// Confirmed bytes: durable on disk, the offset the next append must start at.
    public var length: UInt64
    /// The total size announced when the upload began, if one was.
    public var declaredSize: UInt64?
    public var createdAt: Date
    /// Time of the last append (or of the start of the upload).
    public var updatedAt: Date
    /// When the sweeper may delete the blob.
    public var expiresAt: Date
    /// How many distinct fetchers must fetch the blob before it expires early; 0 means it
    /// only expires by age.
    public var expectedFetchCount: Int
    /// How many distinct fetchers have fetched it.
    public var fetchCount: Int
    /// The SHA-256 checked when the upload was finished, if one was given.
    public var sha256: Data?
}
