import Foundation

/// Runs `tacit bench connections`: splits the count over workers (separate processes when a
/// launcher is given), registers every account, then opens all connections at once, holds
/// them and reads the server's memory before and after from `/proc/PID/status`.
public enum ConnectionsWorkload {
    public static func run(_ options: ConnectionsOptions, launcher: WorkerLauncher?,
                           progress: @Sendable (String) -> Void = { _ in }) async throws -> ConnectionsReport {
        try options.validate()
        let prefix = BenchUsernames.randomPrefix()
        var first = 0
        var workers: [any ConnectionsWorkerHandle] = []
        for (index, share) in options.shares.enumerated() {
            let spec = ConnectionsWorker.Spec(servers: options.servers.map(\.description), usernamePrefix: prefix, first: first,
                                              count: share, source: options.sources[index % options.sources.count],
                                              concurrency: options.concurrency)
            first += share
            workers.append(try launcher.map { try WorkerProcess(spec: spec, launcher: $0) } ?? InProcessWorker(spec: spec))
        }
        do {
            let report = try await measure(options, workers: workers, progress: progress)
            await stopAll(workers)
            return report
        } catch {
            await stopAll(workers)
            throw error
        }
    }

    private static func measure(_ options: ConnectionsOptions, workers: [any ConnectionsWorkerHandle],
                                progress: @Sendable (String) -> Void) async throws -> ConnectionsReport {
        let pids = options.serverPIDs.isEmpty
            ? options.servers.compactMap { ServerProcess.pidListening(onPort: $0.port) }
            : options.serverPIDs
        let start = ServerProcess.residentBytes(pids: pids)
        progress("\(workers.count) worker(s) registering \(options.count) accounts")
        _ = try await all(workers) { try await $0.registered() }
        // Let the registration sockets finish closing before the baseline reading.
        try await Task.sleep(for: .seconds(1))
        let before = ServerProcess.residentBytes(pids: pids)

        progress("opening \(options.count) authenticated connections")
        let connectStart = MonotonicClock.nanoseconds
        let results = try await all(workers) { try await $0.connect() }
        let connectSeconds = Double(MonotonicClock.nanoseconds - connectStart) / 1e9
        let connectedRSS = ServerProcess.residentBytes(pids: pids)
        let connected = results.reduce(0) { $0 + $1.connected }
        if let error = results.compactMap(\.firstError).first { progress("first connection failure: \(error)") }

        progress("holding \(connected) connections for \(options.hold) s")
        try await Task.sleep(for: .seconds(options.hold))
        let heldRSS = ServerProcess.residentBytes(pids: pids)
        let stillOpen = try await all(workers) { try await $0.openCount() }.reduce(0, +)
        var serverOpen: Int? = nil
        for server in options.servers {
            if let open = await MetricsScrape.value(of: "tacit_connections_open", server: server) {
                serverOpen = (serverOpen ?? 0) + Int(open)
            }
        }

        var login = LatencyHistogram()
        for result in results { for micros in result.latenciesMicros { login.record(nanoseconds: micros * 1_000) } }
        let perConnection: Double? = if let before, let heldRSS, connected > 0 {
            (Double(heldRSS) - Double(before)) / Double(connected)
        } else {
            nil
        }
        return ConnectionsReport(
            requested: options.count, connected: connected, failed: results.reduce(0) { $0 + $1.failed },
            droppedWhileHeld: connected - stillOpen, workers: workers.count, connectSeconds: connectSeconds,
            connectionsPerSecond: connectSeconds > 0 ? Double(connected) / connectSeconds : 0,
            login: login.summary, holdSeconds: options.hold, serverPIDs: pids, serverRSSStartBytes: start,
            serverRSSBeforeBytes: before,
            serverRSSConnectedBytes: connectedRSS, serverRSSHeldBytes: heldRSS,
            serverBytesPerConnection: perConnection, serverOpenConnections: serverOpen)
    }

    private static func all<T: Sendable>(_ workers: [any ConnectionsWorkerHandle],
                                         _ body: @escaping @Sendable (any ConnectionsWorkerHandle) async throws -> T) async throws -> [T] {
        try await withThrowingTaskGroup(of: T.self) { group in
            for worker in workers { group.addTask { try await body(worker) } }
            var results: [T] = []
            for try await result in group { results.append(result) }
            return results
        }
    }

    private static func stopAll(_ workers: [any ConnectionsWorkerHandle]) async {
        await withTaskGroup(of: Void.self) { group in
            for worker in workers { group.addTask { await worker.stop() } }
        }
    }
}
