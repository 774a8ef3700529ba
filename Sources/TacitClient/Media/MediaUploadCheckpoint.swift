import Foundation

/// What an upload needs to continue after the process that started it died: the blob, the
/// key material and the file it encrypts, recorded before the first byte goes up.
///
/// It holds the file key, so keep it where the device keeps its own secrets (the messenger
/// seals it in the local store, see ``Messenger/sendAttachment(file:to:kind:caption:mediaType:metadata:replyTo:transferOptions:progress:)``).
/// The server is asked where the upload stands when it resumes, so the checkpoint does not
/// need to follow every confirmed segment; ``confirmedOffset`` is what was last known.
public struct MediaUploadCheckpoint: Sendable, Hashable, Codable {
    /// The blob being uploaded.
    public var blobID: String
    public var key: Data
    public var noncePrefix: Data
    public var chunkSize: Int
    /// Size and modification time of the file when the upload started; a resume with a
    /// changed file starts over (sealing other bytes under the same key is not allowed).
    public var plaintextSize: UInt64
    public var fileModifiedMilliseconds: Int64?
    public var ciphertextSize: UInt64
    public var expectedFetchCount: Int
    /// Blob bytes the server had confirmed when the checkpoint was last written.
    public var confirmedOffset: UInt64

    public init(blobID: String, key: Data, noncePrefix: Data, chunkSize: Int, plaintextSize: UInt64, fileModifiedMilliseconds: Int64?,
                ciphertextSize: UInt64, expectedFetchCount: Int, confirmedOffset: UInt64 = 0) {
        self.blobID = blobID
        self.key = key
        self.noncePrefix = noncePrefix
        self.chunkSize = chunkSize
        self.plaintextSize = plaintextSize
        self.fileModifiedMilliseconds = fileModifiedMilliseconds
        self.ciphertextSize = ciphertextSize
        self.expectedFetchCount = expectedFetchCount
        self.confirmedOffset = confirmedOffset
    }
}

/// Where an upload records its ``MediaUploadCheckpoint``s: once when the blob is created,
/// then after confirmed segments. A failure to record stops the upload (a blob that cannot
/// be resumed would only be uploaded again from the start).
public typealias MediaCheckpointHandler = @Sendable (MediaUploadCheckpoint) async throws(MediaError) -> Void
