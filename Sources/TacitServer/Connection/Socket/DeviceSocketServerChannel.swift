import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
import NIOWebSocket
import TacitWire

/// The server's connections: HTTP/1.1 for the routes (health, metrics, blobs), upgraded to
/// a device socket on ``WireProtocol/connectPath``.
///
/// HTTP requests are answered by Hummingbird in a task per connection, as usual. A device
/// socket is handed to a ``DeviceSocketHandler`` in the channel pipeline and its task
/// ends at once, so an idle socket costs no task.
struct DeviceSocketServerChannel: ServerChildChannel, HTTPChannelHandler {
    enum Upgrade: Sendable {
        case deviceSocket
        case http(NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>)
    }

    struct Value: ServerChildChannelValue {
        let upgrade: EventLoopFuture<Upgrade>
        let channel: any Channel
    }

    let responder: Responder
    let context: ServerContext
    let sockets: DeviceSockets
    /// Idle HTTP keep-alive connections are closed after this long.
    let idleTimeout: Duration
    /// How long a client may take to answer the server's close frame.
    let closeTimeout: Duration

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            let context = context
            let sockets = sockets
            let closeTimeout = closeTimeout
            let upgrader = NIOTypedWebSocketServerUpgrader<Upgrade>(
                maxFrameSize: context.configuration.maxFrameBytes,
                shouldUpgrade: { channel, head in
                    let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.uri
                    return channel.eventLoop.makeSucceededFuture(path == WireProtocol.connectPath ? HTTPHeaders() : nil)
                },
                upgradePipelineHandler: { channel, _ in
                    channel.eventLoop.makeCompletedFuture {
                        let session = ConnectionSession(context: context, socket: DeviceSocketWriter(channel: channel),
                                                        sockets: sockets, logger: logger)
                        try channel.pipeline.syncOperations.addHandler(DeviceSocketHandler(
                            session: session, maxMessageBytes: context.configuration.maxFrameBytes,
                            closeTimeout: closeTimeout, shutdownGrace: ConnectionSession.shutdownGrace))
                        sockets.opened(channel)
                        session.start(on: channel.eventLoop)
                        return .deviceSocket
                    }
                })
            let idleTimeout = idleTimeout
            let upgrades = NIOTypedHTTPServerUpgradeConfiguration<Upgrade>(
                upgraders: [upgrader],
                notUpgradingCompletionHandler: { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(HTTP1ToHTTPServerCodec(secure: false))
                        try channel.pipeline.syncOperations.addHandler(
                            HTTPConnectionStateHandler(idleTimeout: idleTimeout, logger: logger))
                        return .http(try NIOAsyncChannel(wrappingChannelSynchronously: channel,
                                                         configuration: .init(isOutboundHalfClosureEnabled: true)))
                    }
                })
            var pipeline = NIOUpgradableHTTPServerPipelineConfiguration(upgradeConfiguration: upgrades)
            // As Hummingbird's own HTTP/1 channel: it pipelines and handles errors itself.
            pipeline.enablePipelining = false
            pipeline.enableErrorHandling = false
            pipeline.enableResponseHeaderValidation = false
            let upgrade = try channel.pipeline.syncOperations.configureUpgradableHTTPServerPipeline(configuration: pipeline)
            return Value(upgrade: upgrade, channel: channel)
        }
    }

    func handle(value: Value, logger: Logger) async {
        do {
            switch try await value.upgrade.get() {
            case .deviceSocket:
                // The socket lives on in its channel handler.
                return
            case .http(let http):
                await handleHTTP(asyncChannel: http, logger: logger)
            }
        } catch {
            logger.debug("connection ended before its first request", metadata: ["error": "\(String(describing: error))"])
        }
    }
}
