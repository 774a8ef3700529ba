import Foundation

/// What an attachment transfer reports while it runs. A transfer reports `started` once,
/// `progress` as bytes go through, and ends with exactly one `completed` or `failed`.
public enum MediaTransferEvent: Sendable {
    /// The transfer began; `totalBytes` is the size of the encrypted blob.
    case started(totalBytes: UInt64)
    /// `bytes` of `totalBytes` blob bytes are through. After a reconnect it may step back to
    /// what the server confirmed.
    case progress(bytes: UInt64, totalBytes: UInt64)
    /// Done: the descriptor of an upload, or the file a download was saved to.
    case completed(MediaTransferResult)
    case failed(MediaError)
}

/// The outcome of a finished transfer.
public enum MediaTransferResult: Sendable {
    /// The attachment is on the server; send this descriptor inside a message.
    case uploaded(AttachmentDescriptor)
    /// The attachment was verified, decrypted and saved at this URL.
    case downloaded(URL)
}

/// A callback for transfer events; called in order, from the transferring task.
public typealias MediaProgressHandler = @Sendable (MediaTransferEvent) -> Void

/// Tunables of attachment transfers.
public struct MediaTransferOptions: Sendable {
    /// Plaintext bytes per encrypted chunk.
    public var chunkSize: Int
    /// Blob bytes per `PATCH` request. The server makes each one durable before answering,
    /// so this is the most a dropped connection or a server crash can cost.
    public var segmentSize: Int
    /// How often a transfer is tried again after a dropped connection or a busy server.
    public var maxRetries: Int
    /// The first delay before a retry; it doubles up to ``maxRetryDelay``.
    public var retryDelay: Duration
    public var maxRetryDelay: Duration

    public init(chunkSize: Int = AttachmentFormat.defaultChunkSize, segmentSize: Int = 16 << 20,
                maxRetries: Int = 8, retryDelay: Duration = .milliseconds(200), maxRetryDelay: Duration = .seconds(5)) {
        self.chunkSize = chunkSize
        self.segmentSize = segmentSize
        self.maxRetries = maxRetries
        self.retryDelay = retryDelay
        self.maxRetryDelay = maxRetryDelay
    }

    func delay(beforeRetry attempt: Int) -> Duration {
        var delay = retryDelay
        for _ in 1..<max(1, attempt) where delay < maxRetryDelay { delay *= 2 }
        return min(delay, maxRetryDelay)
    }
}

/// What a sender knows about an attachment besides its bytes; it goes into the descriptor.
public struct AttachmentMetadata: Sendable, Hashable {
    public var fileName: String?
    public var imageSize: AttachmentImageSize?
    public var durationMilliseconds: UInt64?
    /// A preview, already uploaded (see ``TacitClient/uploadThumbnail(file:mediaType:imageSize:expectedRecipients:options:)``).
    public var thumbnail: AttachmentThumbnailDescriptor?

    public init(fileName: String? = nil, imageSize: AttachmentImageSize? = nil, durationMilliseconds: UInt64? = nil,
                thumbnail: AttachmentThumbnailDescriptor? = nil) {
        self.fileName = fileName
        self.imageSize = imageSize
        self.durationMilliseconds = durationMilliseconds
        self.thumbnail = thumbnail
    }
}
