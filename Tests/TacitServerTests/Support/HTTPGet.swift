import Foundation
import NIOCore
import NIOPosix

/// A minimal HTTP/1.1 GET over a loopback socket, enough for `/health` and `/metrics`.
enum HTTPGet {
    static func fetch(port: Int, path: String) async throws -> (Int, String) {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: "GET \(path) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"))
            var response = ByteBuffer()
            for try await var chunk in inbound {
                response.writeBuffer(&chunk)
            }
            let text = String(buffer: response)
            guard let statusLine = text.split(separator: "\r\n").first,
                  let status = statusLine.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else {
                throw TestSocket.Failure.unexpected("HTTP response \(text)")
            }
            let body = text.range(of: "\r\n\r\n").map { String(text[$0.upperBound...]) } ?? ""
            return (status, body)
        }
    }
}
