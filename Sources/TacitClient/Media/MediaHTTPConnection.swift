import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
#if canImport(NIOSSL)
import NIOSSL
#endif

/// One HTTP/1.1 request on its own connection (plain TCP or TLS), with a streamed request
/// body and a streamed response body.
///
/// Built on NIOPosix and NIOHTTP1 because the package has no general HTTP client, and
/// Foundation's `URLSession` on Linux cannot stream a request body from an async producer.
/// One connection per request keeps it simple: blob requests are few and large.
enum MediaHTTPConnection {
    struct Request: Sendable {
        var method: HTTPMethod
        /// Path and query.
        var target: String
        var headers: [(String, String)]
        /// Exact body length, if there is a body.
        var contentLength: UInt64?
    }

    struct Response: Sendable {
        var status: Int
        var headers: HTTPHeaders
        /// The body of an answer that was not streamed (error messages), at most 64 KiB.
        var body: String

        func header(_ name: String) -> String? { headers.first(name: name) }
    }

    /// Hands each piece of a request body to `write`, in order.
    typealias BodyProducer = @Sendable (_ write: @Sendable (ByteBuffer) async throws -> Void) async throws -> Void

    /// Marks failures of the connection itself (as opposed to the body producer's own).
    private struct TransportError: Error { var underlying: any Error }

    #if canImport(NIOSSL)
    private static let tlsContext: Result<NIOSSLContext, any Error> = Result {
        try NIOSSLContext(configuration: .makeClientConfiguration())
    }
    #endif

    /// Sends `request` and returns the answer. With `streamBody`, the body of a 2xx answer
    /// goes to it piece by piece instead of into ``Response/body``.
    static func perform(
        _ request: Request, to endpoint: BlobServiceEndpoint, body: BodyProducer? = nil,
        streamBody: ((ByteBuffer) async throws -> Void)? = nil
    ) async throws -> Response {
        let channel: NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>
        do {
            #if canImport(NIOSSL)
            let tls = endpoint.usesTLS ? try tlsContext.get() : nil
            #else
            // Built without NIOSSL (a development package): plain TCP only.
            guard !endpoint.usesTLS else { throw MediaError.connectionFailed("this build has no TLS") }
            #endif
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(10))
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .connect(host: endpoint.host, port: endpoint.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        #if canImport(NIOSSL)
                        if let tls {
                            try channel.pipeline.syncOperations.addHandler(
                                NIOSSLClientHandler(context: tls, serverHostname: endpoint.host))
                        }
                        #endif
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(
                            wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw MediaError.connectionFailed("\(endpoint.host):\(endpoint.port): \(error)")
        }
        let rawChannel = channel.channel
        do {
            return try await channel.executeThenClose { inbound, outbound in
                var head = HTTPRequestHead(version: .http1_1, method: request.method, uri: endpoint.pathPrefix + request.target)
                head.headers.add(name: "Host", value: endpoint.hostHeader)
                head.headers.add(name: "Connection", value: "close")
                for (name, value) in request.headers { head.headers.add(name: name, value: value) }
                if let length = request.contentLength { head.headers.add(name: "Content-Length", value: "\(length)") }
                try await outbound.write(.head(head))
                return try await withThrowingTaskGroup(of: Void.self) { group in
                    // The body goes out while the answer is read, so an early refusal (say,
                    // 413) is seen at once rather than after the whole body.
                    group.addTask {
                        do {
                            if let body {
                                try await body { buffer in
                                    do { try await outbound.write(.body(.byteBuffer(buffer))) } catch {
                                        throw TransportError(underlying: error)
                                    }
                                }
                            }
                            do { try await outbound.write(.end(nil)) } catch { throw TransportError(underlying: error) }
                        } catch let error as TransportError {
                            throw error
                        } catch {
                            // The producer failed: cut the connection so the reader stops waiting.
                            rawChannel.close(promise: nil)
                            throw error
                        }
                    }
                    let response = try await readResponse(inbound, streamBody: streamBody, sending: &group)
                    group.cancelAll()
                    return response
                }
            }
        } catch let error as MediaError {
            throw error
        } catch is CancellationError {
            throw MediaError.cancelled
        } catch let error as TransportError {
            throw MediaError.connectionFailed("\(error.underlying)")
        } catch {
            throw MediaError.connectionFailed("\(error)")
        }
    }

    private static func readResponse(
        _ inbound: NIOAsyncChannelInboundStream<HTTPClientResponsePart>,
        streamBody: ((ByteBuffer) async throws -> Void)?,
        sending group: inout ThrowingTaskGroup<Void, any Error>
    ) async throws -> Response {
        var iterator = inbound.makeAsyncIterator()
        var response: Response?
        var bodyText = ByteBuffer()
        while true {
            let part: HTTPClientResponsePart?
            do {
                part = try await iterator.next()
            } catch {
                try await rethrowProducerFailure(&group)
                throw TransportError(underlying: error)
            }
            guard let part else {
                // The server closed before the answer ended. If the body producer failed on
                // its own, that failure is the one to report.
                try await rethrowProducerFailure(&group)
                throw MediaError.connectionFailed("the server closed the connection before answering")
            }
            switch part {
            case .head(let head):
                if head.status.code == 100 { continue }
                response = Response(status: Int(head.status.code), headers: head.headers, body: "")
            case .body(let buffer):
                guard let current = response else { throw MediaError.invalidResponse("body before head") }
                if let streamBody, (200..<300).contains(current.status) {
                    try await streamBody(buffer)
                } else if bodyText.readableBytes < 65_536 {
                    var buffer = buffer
                    bodyText.writeBuffer(&buffer)
                }
            case .end:
                guard var response else { throw MediaError.invalidResponse("end before head") }
                response.body = String(buffer: bodyText).trimmingCharacters(in: .whitespacesAndNewlines)
                if (200..<300).contains(response.status) {
                    // A success means the server took the whole body; let the writer finish.
                    try await rethrowProducerFailure(&group)
                }
                return response
            }
        }
    }

    /// Waits for the body writer and rethrows what it threw unless that was the connection.
    private static func rethrowProducerFailure(_ group: inout ThrowingTaskGroup<Void, any Error>) async throws {
        do {
            while try await group.next() != nil {}
        } catch is TransportError {
        }
    }
}
