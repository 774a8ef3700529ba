import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization
@testable import TacitClient
import TacitServer

/// A blob service on a loopback port with a ``FileBlobStore`` in a fresh directory and a
/// device directory the test fills. It can be stopped and started again on the same
/// directory and port, which is what a restart looks like to a client.
final class MediaTestServer: Sendable {
    let root: URL
    let serverKey: [UInt8]
    let directory = FixedBlobDeviceDirectory()
    let limits: BlobLimits
    private let state = Mutex<(port: Int, group: ServiceGroup?, task: Task<Void, any Error>?)>((0, nil, nil))

    var blobRoot: URL { root.appendingPathComponent("blobs") }
    var port: Int { state.withLock { $0.port } }

    static func start(limits: BlobLimits = BlobLimits()) async throws -> MediaTestServer {
        let server = MediaTestServer(limits: limits)
        try await server.start()
        return server
    }

    private init(limits: BlobLimits) {
        self.root = FileManager.default.temporaryDirectory
            .appendingPathComponent("tacit-tests/media-\(UUID().uuidString)", isDirectory: true)
        try? FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        self.serverKey = DeviceIdentity().publicKey
        self.limits = limits
    }

    /// Opens the store afresh (as a restarted server would) and listens.
    func start() async throws {
        let store = try FileBlobStore(root: blobRoot, limits: limits)
        let router = Router()
        BlobService(store: store, directory: directory, serverKey: serverKey).addRoutes(to: router)
        let (ready, readyContinuation) = AsyncStream.makeStream(of: Int.self)
        let application = Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: port)),
            onServerRunning: { channel in
                readyContinuation.yield(channel.localAddress?.port ?? 0)
                readyContinuation.finish()
            })
        // Run in a service group so that stop() can shut down gracefully: a cancelled
        // Hummingbird server may strand a just-accepted connection, and NIO traps on it.
        let group = ServiceGroup(services: [application], logger: Logger(label: "test.media"))
        let task = Task { try await group.run() }
        var bound = 0
        for await port in ready { bound = port }
        state.withLock { $0 = (bound, group, task) }
    }

    /// Stops listening and waits until the server is gone.
    func stop() async {
        let (group, task) = state.withLock { ($0.group, $0.task) }
        await group?.triggerGracefulShutdown()
        _ = try? await task?.value
        state.withLock { $0.group = nil; $0.task = nil }
    }

    /// A new device of `account`, known to the directory.
    func makeDevice(account: String) -> TestMediaDevice {
        let identity = DeviceIdentity()
        let id = directory.add(account: account, key: identity.publicKey)
        return TestMediaDevice(id: id, identity: identity, server: self)
    }

    /// Every byte of every file under the blob directory.
    func allStoredBytes() throws -> [(path: String, bytes: Data)] {
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        var files: [(String, Data)] = []
        for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true {
            files.append((url.path, try Data(contentsOf: url)))
        }
        return files
    }

    /// The data and sidecar files of a blob.
    func files(of blobID: String) -> (data: URL, metadata: URL) {
        let shard = blobRoot.appendingPathComponent(String(blobID.prefix(2)))
        return (shard.appendingPathComponent(blobID + ".data"), shard.appendingPathComponent(blobID + ".meta"))
    }
}

/// A device registered with a ``MediaTestServer``.
struct TestMediaDevice: Sendable {
    let id: UInt64
    let identity: DeviceIdentity
    let server: MediaTestServer

    func endpoint(serverKey: [UInt8]? = nil) throws -> BlobServiceEndpoint {
        try BlobServiceEndpoint(server: ServerURL("ws://127.0.0.1:\(server.port)"), deviceID: id, identity: identity,
                                serverKey: serverKey ?? server.serverKey)
    }

    func transfers(_ options: MediaTransferOptions = MediaTransferOptions()) throws -> MediaTransfers {
        MediaTransfers(endpoint: try endpoint(), options: options)
    }

    func client() throws -> BlobServiceClient { BlobServiceClient(endpoint: try endpoint()) }
}

/// Devices the test created, by id.
final class FixedBlobDeviceDirectory: BlobDeviceDirectory {
    private let devices = Mutex<[UInt64: BlobDevice]>([:])

    func add(account: String, key: [UInt8]) -> UInt64 {
        devices.withLock { devices in
            let id = UInt64(devices.count + 1)
            devices[id] = BlobDevice(id: id, account: account, identityKey: key, isRevoked: false)
            return id
        }
    }

    func revoke(_ id: UInt64) {
        devices.withLock { $0[id]?.isRevoked = true }
    }

    func device(id: UInt64) async throws -> BlobDevice? {
        devices.withLock { $0[id] }
    }
}

/// Files for media tests.
enum MediaTestFiles {
    static func directory() -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("tacit-tests/media-files-\(UUID().uuidString)", isDirectory: true)
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A file of `size` bytes of a repeating, position-dependent pattern (written in 1 MiB steps).
    static func make(size: Int, in directory: URL, name: String = "plain.bin", seed: UInt8 = 7) throws -> URL {
        let url = directory.appendingPathComponent(name)
        FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        var written = 0
        while written < size {
            let count = min(1 << 20, size - written)
            let base = written
            try handle.write(contentsOf: Data((0..<count).map { UInt8(truncatingIfNeeded: (base + $0) &* 31 &+ Int(seed) &+ (base + $0) >> 12) }))
            written += count
        }
        return url
    }

    /// Whether two files have the same bytes (compared in 1 MiB steps).
    static func same(_ a: URL, _ b: URL) throws -> Bool {
        let first = try FileHandle(forReadingFrom: a)
        let second = try FileHandle(forReadingFrom: b)
        defer { try? first.close(); try? second.close() }
        while true {
            let x = try first.read(upToCount: 1 << 20) ?? Data()
            let y = try second.read(upToCount: 1 << 20) ?? Data()
            if x != y { return false }
            if x.isEmpty { return true }
        }
    }
}

/// Collects transfer events.
final class MediaEventLog: Sendable {
    private let events = Mutex<[MediaTransferEvent]>([])
    var all: [MediaTransferEvent] { events.withLock { $0 } }
    func record(_ event: MediaTransferEvent) { events.withLock { $0.append(event) } }
    var handler: MediaProgressHandler { { [self] in record($0) } }
}
