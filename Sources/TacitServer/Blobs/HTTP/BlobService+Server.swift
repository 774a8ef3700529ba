import Foundation
import Hummingbird
import ServiceLifecycle

extension BlobService {
    /// The blob service of a running server: a ``FileBlobStore`` at
    /// ``ServerConfiguration/blobDirectoryPath`` with ``ServerConfiguration/blobLimits``,
    /// devices from the server's store, signatures bound to the server's key.
    static func make(for context: ServerContext) throws -> BlobService {
        let configuration = context.configuration
        let store = try FileBlobStore(root: URL(fileURLWithPath: configuration.blobDirectoryPath),
                                      limits: configuration.blobLimits)
        return BlobService(store: store, directory: StoreBlobDeviceDirectory(store: context.store),
                           serverKey: context.identity.publicKey, allowedSkew: configuration.authTimestampSkew)
    }

    /// A service that sweeps expired and abandoned blobs every `interval` until shutdown.
    func sweeper(every interval: Duration) -> BlobSweeperService {
        BlobSweeperService(sweeper: BlobSweeper(store: store), interval: interval)
    }
}

/// Runs ``BlobSweeper`` beside the HTTP server; stops at graceful shutdown.
struct BlobSweeperService: Service, CustomStringConvertible {
    let sweeper: BlobSweeper
    let interval: Duration

    var description: String { "TacitServer.BlobSweeper" }

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            await sweeper.run(every: interval)
        }
    }
}
