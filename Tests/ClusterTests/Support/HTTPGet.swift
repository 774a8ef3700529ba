import Foundation
import NIOCore
import NIOPosix

/// A minimal HTTP/1.1 GET over loopback, for `/health` and `/metrics`.
enum HTTPGet {
    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    static func fetch(port: Int, path: String) async throws -> (status: Int, body: String) {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: "GET \(path) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"))
            var response = ByteBuffer()
            for try await var chunk in inbound { response.writeBuffer(&chunk) }
            let text = String(buffer: response)
            guard let line = text.split(separator: "\r\n").first,
                  let status = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
            else { throw Malformed(description: "HTTP response \(text)") }
            return (status, text.range(of: "\r\n\r\n").map { String(text[$0.upperBound...]) } ?? "")
        }
    }

    /// `/health`'s status, or 0 when nothing answers within `timeout` seconds.
    static func health(port: Int, timeout: Double = 10) async -> Int {
        do {
            return try await withThrowingTaskGroup(of: Int.self) { group in
                group.addTask { try await fetch(port: port, path: "/health").status }
                group.addTask {
                    try await Task.sleep(for: .seconds(timeout))
                    return 0
                }
                defer { group.cancelAll() }
                return try await group.next() ?? 0
            }
        } catch {
            return 0
        }
    }

    /// The value of an unlabelled Prometheus gauge or counter in a `/metrics` body.
    static func gauge(_ name: String, in body: String) -> Int? {
        for line in body.split(separator: "\n") where line.hasPrefix(name + " ") {
            return Double(line.dropFirst(name.count + 1)).map { Int($0) }
        }
        return nil
    }
}
