import NIOCore
import NIOPosix
import Synchronization

/// A TCP relay on loopback standing in for a load balancer: each new connection goes to
/// one of the target ports (round robin, skipping ports that refuse), and the test can
/// change the targets or cut every client off while the server side stays open, as a
/// connection does that died somewhere on the way without the server noticing.
final class TCPRelay: Sendable {
    /// One relayed connection.
    final class Pair: Sendable {
        let client: any Channel
        let upstream: any Channel
        private struct Flags {
            var cut = false
            var clientMuted = false
            var afterCut: [UInt8] = []
        }

        private let flags = Mutex(Flags())

        init(client: any Channel, upstream: any Channel) {
            self.client = client
            self.upstream = upstream
        }

        var isCut: Bool { flags.withLock { $0.cut } }
        var isClientMuted: Bool { flags.withLock { $0.clientMuted } }
        func cut() { flags.withLock { $0.cut = true } }
        func muteClient() { flags.withLock { $0.clientMuted = true } }
        /// What the server side sent after the cut (nobody heard it).
        var afterCut: [UInt8] { flags.withLock { $0.afterCut } }
        func captureAfterCut(_ bytes: ByteBuffer) { flags.withLock { $0.afterCut += Array(bytes.readableBytesView) } }
    }

    private struct State {
        var targets: [Int]
        var turn = 0
        var pairs: [Pair] = []
        var cutPairs: [Pair] = []
    }

    private let state: Mutex<State>
    private let channel = Mutex<(any Channel)?>(nil)

    private init(targets: [Int]) {
        state = Mutex(State(targets: targets))
    }

    static func start(targets: [Int]) async throws -> TCPRelay {
        let relay = TCPRelay(targets: targets)
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.autoRead, value: false)
            .childChannelInitializer { client in relay.connectUpstream(for: client) }
            .bind(host: "127.0.0.1", port: 0).get()
        relay.channel.withLock { $0 = server }
        return relay
    }

    var port: Int { channel.withLock { $0?.localAddress?.port ?? 0 } }
    var url: String { "ws://127.0.0.1:\(port)" }

    /// Where new connections go from now on.
    func route(to targets: [Int]) {
        state.withLock { $0.targets = targets }
    }

    /// Closes every client side; the server sides stay open and hear nothing more.
    /// Returns the pairs cut (see ``Pair/afterCut``).
    @discardableResult
    func cutClients() -> [Pair] {
        let pairs = state.withLock { state in
            defer {
                state.cutPairs += state.pairs
                state.pairs = []
            }
            return state.pairs
        }
        for pair in pairs {
            pair.cut()
            pair.client.close(promise: nil)
        }
        return pairs
    }

    /// From now on, what clients send is dropped (the servers keep talking to them).
    func muteClients() {
        for pair in state.withLock({ $0.pairs }) { pair.muteClient() }
    }

    func close() async {
        let server = channel.withLock { $0 }
        try? await server?.close()
        let pairs = state.withLock { $0.pairs + $0.cutPairs }
        for pair in pairs {
            pair.client.close(promise: nil)
            pair.upstream.close(promise: nil)
        }
    }

    private func nextTargets() -> [Int] {
        state.withLock { state in
            guard !state.targets.isEmpty else { return [] }
            let start = state.turn % state.targets.count
            state.turn += 1
            return Array(state.targets[start...] + state.targets[..<start])
        }
    }

    private func connectUpstream(for client: any Channel) -> EventLoopFuture<Void> {
        connect(client, trying: nextTargets()[...]).flatMap { upstream in
            let pair = Pair(client: client, upstream: upstream)
            self.state.withLock { $0.pairs.append(pair) }
            return client.pipeline.addHandler(Forwarder(peer: upstream, pair: pair, isClientSide: true)).flatMap {
                upstream.pipeline.addHandler(Forwarder(peer: client, pair: pair, isClientSide: false))
            }.flatMap {
                client.setOption(ChannelOptions.autoRead, value: true)
            }
        }
    }

    private func connect(_ client: any Channel, trying ports: ArraySlice<Int>) -> EventLoopFuture<any Channel> {
        guard let port = ports.first else {
            struct NoTarget: Error {}
            return client.eventLoop.makeFailedFuture(NoTarget())
        }
        return ClientBootstrap(group: client.eventLoop)
            .connect(host: "127.0.0.1", port: port)
            .flatMapError { _ in self.connect(client, trying: ports.dropFirst()) }
    }

    /// Copies what one side reads to the other; a close travels across unless the pair was cut.
    private final class Forwarder: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer

        let peer: any Channel
        let pair: Pair
        let isClientSide: Bool

        init(peer: any Channel, pair: Pair, isClientSide: Bool) {
            self.peer = peer
            self.pair = pair
            self.isClientSide = isClientSide
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let bytes = unwrapInboundIn(data)
            if pair.isCut {
                if !isClientSide { pair.captureAfterCut(bytes) }
                return
            }
            if isClientSide, pair.isClientMuted { return }
            peer.writeAndFlush(bytes, promise: nil)
        }

        func channelInactive(context: ChannelHandlerContext) {
            if !pair.isCut { peer.close(promise: nil) }
            context.fireChannelInactive()
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)
        }
    }
}
