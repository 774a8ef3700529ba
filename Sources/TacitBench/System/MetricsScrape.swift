import Foundation
import NIOCore
import NIOPosix

/// Reads the server's `/metrics` over plain HTTP/1.1 on loopback.
public enum MetricsScrape {
    /// The value of sample `name`, or nil when the page or the sample is missing.
    public static func value(of name: String, server: BenchServerAddress) async -> Double? {
        guard let text = try? await fetch(path: "/metrics", server: server) else { return nil }
        return PrometheusText.value(of: name, in: text)
    }

    static func fetch(path: String, server: BenchServerAddress) async throws -> String {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(5))
            .connect(host: server.host, port: server.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: "GET \(path) HTTP/1.1\r\nHost: \(server.host)\r\nConnection: close\r\n\r\n"))
            var response = ByteBuffer()
            for try await var chunk in inbound { response.writeBuffer(&chunk) }
            let text = String(buffer: response)
            return text.range(of: "\r\n\r\n").map { String(text[$0.upperBound...]) } ?? ""
        }
    }
}
