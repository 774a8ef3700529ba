import Foundation

/// Attachment uploads and downloads against one server's blob service, as one device.
///
/// ``TacitClient`` offers the same calls (``TacitClient/uploadAttachment(file:mediaType:metadata:expectedRecipients:options:progress:)``
/// and ``TacitClient/downloadAttachment(_:to:options:)``) with the endpoint filled in from
/// the device's account.
///
/// ```swift
/// let transfers = MediaTransfers(endpoint: endpoint)
/// let descriptor = try await transfers.uploadAttachment(file: photo, mediaType: "image/jpeg",
///                                                       expectedRecipients: 3)
/// // send descriptor.serializedBytes() inside the MLS message; the recipient:
/// for await event in transfers.downloadAttachment(descriptor, to: saveURL) { show(event) }
/// ```
public struct MediaTransfers: Sendable {
    public let endpoint: BlobServiceEndpoint
    public var options: MediaTransferOptions

    public init(endpoint: BlobServiceEndpoint, options: MediaTransferOptions = MediaTransferOptions()) {
        self.endpoint = endpoint
        self.options = options
    }

    var service: BlobServiceClient { BlobServiceClient(endpoint: endpoint) }

    /// Encrypts `file` under a fresh key, uploads it and returns the descriptor to send.
    ///
    /// - Parameters:
    ///   - mediaType: MIME type of the file, such as `image/jpeg`.
    ///   - metadata: file name, pixel size, duration and thumbnail for the descriptor.
    ///   - expectedRecipients: how many devices will fetch it; the server deletes the blob
    ///     soon after that many reported a fetch (0: it expires by age only, after 30 days).
    ///   - progress: called with `started`, `progress` and a final `completed` or `failed`.
    public func uploadAttachment(
        file: URL, mediaType: String, metadata: AttachmentMetadata = AttachmentMetadata(),
        expectedRecipients: Int = 0, progress: MediaProgressHandler? = nil
    ) async throws(MediaError) -> AttachmentDescriptor {
        try await uploadAttachment(file: file, mediaType: mediaType, metadata: metadata,
                                   expectedRecipients: expectedRecipients, resuming: nil, checkpoint: nil, progress: progress)
    }

    /// ``uploadAttachment(file:mediaType:metadata:expectedRecipients:progress:)`` that can
    /// survive the death of the process: `checkpoint` receives the upload's state before
    /// the first byte is sent (and after each confirmed segment); passing the last one back
    /// as `resuming` continues that upload where the server stands, provided the file is
    /// unchanged and the server still has it (otherwise it starts afresh under a new key).
    public func uploadAttachment(
        file: URL, mediaType: String, metadata: AttachmentMetadata = AttachmentMetadata(), expectedRecipients: Int = 0,
        resuming: MediaUploadCheckpoint?, checkpoint: MediaCheckpointHandler?, progress: MediaProgressHandler? = nil
    ) async throws(MediaError) -> AttachmentDescriptor {
        do throws(MediaError) {
            let uploader = MediaUploader(service: service, options: options, progress: progress)
            let (id, encrypted) = try await uploader.upload(file: file, expectedFetchCount: expectedRecipients,
                                                            resuming: resuming, checkpoint: checkpoint)
            let descriptor: AttachmentDescriptor
            do {
                descriptor = try AttachmentDescriptor(
                    blobID: id, file: encrypted, mediaType: mediaType, fileName: metadata.fileName,
                    imageSize: metadata.imageSize, durationMilliseconds: metadata.durationMilliseconds,
                    thumbnail: metadata.thumbnail)
            } catch {
                throw MediaError.io("the descriptor does not validate: \(error)")
            }
            progress?(.completed(.uploaded(descriptor)))
            return descriptor
        } catch {
            progress?(.failed(error))
            throw error
        }
    }

    /// Encrypts and uploads a preview image, for ``AttachmentMetadata/thumbnail``.
    public func uploadThumbnail(
        file: URL, mediaType: String, imageSize: AttachmentImageSize? = nil, expectedRecipients: Int = 0
    ) async throws(MediaError) -> AttachmentThumbnailDescriptor {
        let uploader = MediaUploader(service: service, options: options, progress: nil)
        let (id, encrypted) = try await uploader.upload(file: file, expectedFetchCount: expectedRecipients)
        do {
            return try AttachmentThumbnailDescriptor(blobID: id, file: encrypted, mediaType: mediaType, imageSize: imageSize)
        } catch {
            throw .io("the thumbnail descriptor does not validate: \(error)")
        }
    }

    /// Downloads, verifies and decrypts the attachment into `destination`, which appears only
    /// once all of it verified. Then tells the server this device fetched it.
    public func fetchAttachment(
        _ descriptor: AttachmentDescriptor, to destination: URL, progress: MediaProgressHandler? = nil
    ) async throws(MediaError) {
        do throws(MediaError) {
            try await MediaDownloader(service: service, options: options, progress: progress)
                .download(descriptor, to: destination)
            progress?(.completed(.downloaded(destination)))
        } catch {
            progress?(.failed(error))
            throw error
        }
    }

    /// ``fetchAttachment(_:to:progress:)`` as a stream of events, ending after `completed`
    /// or `failed`. Cancelling the iterating task cancels the download.
    public func downloadAttachment(_ descriptor: AttachmentDescriptor, to destination: URL) -> AsyncStream<MediaTransferEvent> {
        AsyncStream { continuation in
            let task = Task {
                try? await fetchAttachment(descriptor, to: destination) { continuation.yield($0) }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// Deletes a blob this account uploaded (say, a message that was never sent).
    public func deleteBlob(_ blobID: String) async throws(MediaError) {
        try await service.delete(blobID)
    }
}
