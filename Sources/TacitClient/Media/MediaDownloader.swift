import Foundation
import NIOCore

/// Downloads a blob, verifying and decrypting it into a file as it arrives.
///
/// A dropped connection is resumed with `Range: bytes=<received>-`, continuing the same
/// verification. The plaintext goes to a hidden temporary file that becomes the destination
/// only after the final chunk, both sizes and the blob's SHA-256 verified; on any failure it
/// is removed and the destination is left as it was.
struct MediaDownloader: Sendable {
    let service: BlobServiceClient
    let options: MediaTransferOptions
    let progress: MediaProgressHandler?

    func download(_ descriptor: AttachmentDescriptor, to destination: URL,
                  reportFetched: Bool = true) async throws(MediaError) {
        try await download(blobID: descriptor.blobID, file: descriptor.file, to: destination)
        if reportFetched {
            // Best effort: a lost receipt only means the blob lives until it expires by age.
            _ = try? await MediaUploader(service: service, options: options, progress: nil).retrying {
                () async throws(MediaError) in try await service.reportFetched(descriptor.blobID)
            }
        }
    }

    func download(blobID: String, file: AttachmentEncryptedFile, to destination: URL) async throws(MediaError) {
        let total = file.ciphertextSize
        let sink: MediaDownloadSink
        do {
            sink = try MediaDownloadSink(file: file, destination: destination)
        } catch {
            throw .io("\(error)")
        }
        progress?(.started(totalBytes: total))
        var failures = 0
        do throws(MediaError) {
            while true {
                let before = sink.received
                do throws(MediaError) {
                    try await service.read(blobID, from: sink.received) { buffer in
                        try sink.append(buffer)
                        if let progress, sink.shouldReport() {
                            progress(.progress(bytes: sink.received, totalBytes: total))
                        }
                    }
                    // The answer ended normally: that is all the server has.
                    break
                } catch let error where error.isRetryable {
                    // Everything arrived, only the end of the answer was lost.
                    if sink.received == total { break }
                    if sink.received > before { failures = 0 }
                    failures += 1
                    guard failures <= options.maxRetries else {
                        if case .connectionFailed = error, sink.received < total {
                            throw MediaError.connectionFailed(
                                "the blob ended early at byte \(sink.received) of \(total) on every try; "
                                    + "it may be damaged on the server (\(error))")
                        }
                        throw error
                    }
                    do { try await Task.sleep(for: options.delay(beforeRetry: failures)) } catch { throw MediaError.cancelled }
                }
            }
            try sink.finish()
            progress?(.progress(bytes: total, totalBytes: total))
        } catch {
            sink.discard()
            throw error
        }
    }
}

/// The verifying, decrypting end of a download. Used by one task at a time.
final class MediaDownloadSink: @unchecked Sendable {
    private var opener: AttachmentStreamOpener
    private let output: AttachmentPartialFile
    private(set) var received: UInt64 = 0
    private var reported: UInt64 = 0

    init(file: AttachmentEncryptedFile, destination: URL) throws(AttachmentCryptoError) {
        self.opener = try AttachmentStreamOpener(file: file)
        self.output = try AttachmentPartialFile(destination: destination)
    }

    func append(_ buffer: ByteBuffer) throws(MediaError) {
        do {
            let plaintext = try buffer.withUnsafeReadableBytes { raw throws(AttachmentCryptoError) in
                try opener.append(raw)
            }
            for piece in plaintext { try output.write(piece) }
        } catch .io(let why) {
            throw .io(why)
        } catch {
            throw .verificationFailed(error)
        }
        received += UInt64(buffer.readableBytes)
    }

    /// True about once per MiB.
    func shouldReport() -> Bool {
        guard received - reported >= 1 << 20 else { return false }
        reported = received
        return true
    }

    /// Checks the end of the blob and moves the file into place.
    func finish() throws(MediaError) {
        do {
            try output.write(try opener.finish())
            try output.commit()
        } catch .io(let why) {
            throw .io(why)
        } catch {
            throw .verificationFailed(error)
        }
    }

    func discard() { output.discard() }
}
