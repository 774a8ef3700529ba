import Foundation

extension TacitClient {
    /// The blob service of this device's server, with requests signed by this device.
    public func mediaTransfers(options: MediaTransferOptions = MediaTransferOptions()) throws(MediaError) -> MediaTransfers {
        guard let deviceID, let server, let serverKey = pinnedServerKey else { throw .notRegistered }
        return MediaTransfers(endpoint: try BlobServiceEndpoint(server: server, deviceID: deviceID, identity: identity,
                                                                serverKey: serverKey),
                              options: options)
    }

    /// Encrypts and uploads `file`; returns the descriptor to send inside a message. See
    /// ``MediaTransfers/uploadAttachment(file:mediaType:metadata:expectedRecipients:progress:)``.
    public nonisolated func uploadAttachment(
        file: URL, mediaType: String, metadata: AttachmentMetadata = AttachmentMetadata(), expectedRecipients: Int = 0,
        options: MediaTransferOptions = MediaTransferOptions(), progress: MediaProgressHandler? = nil
    ) async throws(MediaError) -> AttachmentDescriptor {
        try await mediaTransfers(options: options).uploadAttachment(
            file: file, mediaType: mediaType, metadata: metadata, expectedRecipients: expectedRecipients, progress: progress)
    }

    /// Downloads, verifies and decrypts an attachment into `destination`, reporting events.
    /// See ``MediaTransfers/downloadAttachment(_:to:)``.
    public nonisolated func downloadAttachment(
        _ descriptor: AttachmentDescriptor, to destination: URL, options: MediaTransferOptions = MediaTransferOptions()
    ) -> AsyncStream<MediaTransferEvent> {
        let (stream, continuation) = AsyncStream<MediaTransferEvent>.makeStream()
        let task = Task {
            do throws(MediaError) {
                try await self.mediaTransfers(options: options).fetchAttachment(descriptor, to: destination) { event in
                    continuation.yield(event)
                }
            } catch .notRegistered {
                continuation.yield(.failed(.notRegistered))
            } catch {}
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}
