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
        guard !servers.isEmpty else { throw BenchError.setup("no server given") }
        let results = try await forEach(devices.count, concurrency: concurrency) { index in
            let socket = try await BenchSocket.connect(to: servers[index % servers.count],
                                                       from: sources[index % sources.count], group: group)
            do {
                var device = devices[index]
                device.deviceID = try await socket.register(device)
                return (device, socket)
            } catch {
                socket.close()
                throw error
            }
        }
        return (results.map(\.0), results.map(\.1))
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
