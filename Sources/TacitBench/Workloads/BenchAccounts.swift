import NIOCore

/// Registers benchmark accounts (one device each) the way clients do: a socket per device,
/// Hello, Challenge, Register with a device proof and a signed first device list.
enum BenchAccounts {
    /// Registers `devices` with at most `concurrency` handshakes in flight. Returns the
    /// devices with their ids and their authenticated sockets, in the same order. Device `i`
    /// connects to `servers[i % servers.count]`: with two nodes, the two devices of a pair
    /// (`2p`, `2p + 1`) sit on different nodes.
    static func register(_ devices: [BenchDevice], servers: [BenchServerAddress], sources: [String?],
                         group: any EventLoopGroup, concurrency: Int) async throws -> ([BenchDevice], [BenchSocket]) {
        let results = try await registerEach(devices, servers: servers, sources: sources, group: group,
                                             concurrency: concurrency, keepSockets: true)
        return (results.map(\.0), results.compactMap(\.1))
    }

    /// Registers `devices` like ``register(_:servers:sources:group:concurrency:)`` but closes
    /// each socket as soon as its account exists, so that at most `concurrency` are open at
    /// once: the server's memory then says what *open* connections cost, not what it kept
    /// from thousands of registration sockets open together.
    static func registerClosing(_ devices: [BenchDevice], servers: [BenchServerAddress], sources: [String?],
                                group: any EventLoopGroup, concurrency: Int) async throws -> [BenchDevice] {
        try await registerEach(devices, servers: servers, sources: sources, group: group,
                               concurrency: concurrency, keepSockets: false).map(\.0)
    }

    private static func registerEach(_ devices: [BenchDevice], servers: [BenchServerAddress], sources: [String?],
                                     group: any EventLoopGroup, concurrency: Int,
                                     keepSockets: Bool) async throws -> [(BenchDevice, BenchSocket?)] {
        guard !servers.isEmpty else { throw BenchError.setup("no server given") }
        return try await forEach(devices.count, concurrency: concurrency) { index in
            let socket = try await BenchSocket.connect(to: servers[index % servers.count],
                                                       from: sources[index % sources.count], group: group)
            do {
                var device = devices[index]
                device.deviceID = try await socket.register(device)
                if keepSockets { return (device, socket) }
                socket.close()
                return (device, nil)
            } catch {
                socket.close()
                throw error
            }
        }
    }

    /// Runs `body` for `0..<count` with at most `concurrency` running at once; results in index order.
    static func forEach<T: Sendable>(_ count: Int, concurrency: Int,
                                     _ body: @escaping @Sendable (Int) async throws -> T) async throws -> [T] {
        var results = [T?](repeating: nil, count: count)
        try await withThrowingTaskGroup(of: (Int, T).self) { group in
            var next = 0
            while next < min(count, max(1, concurrency)) {
                let index = next
                group.addTask { (index, try await body(index)) }
                next += 1
            }
            while let (index, value) = try await group.next() {
                results[index] = value
                if next < count {
                    let index = next
                    group.addTask { (index, try await body(index)) }
                    next += 1
                }
            }
        }
        return results.compactMap { $0 }
    }
}
