import Foundation
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOWebSocket
import Prometheus
import ServiceLifecycle
import Synchronization
import TacitStore
import TacitWire

/// The I/O shell around one device socket: it feeds the ``ConnectionStateMachine`` and
/// carries out its actions against the socket, the store and the other live connections.
///
/// Three loops run per socket:
/// - the reader decodes frames and handles them one at a time, in order;
/// - the event loop handles what other connections post (replacement, revocation, link events);
/// - the delivery loop streams the device's queue from the store (see ``deliverQueue()``).
final class ConnectionSession: Sendable {
    private let context: ServerContext
    private let outbound: WebSocketOutboundWriter
    private let logger: Logger
    private let machine: Mutex<ConnectionStateMachine>
    private let bucket: Mutex<TokenBucket>
    private let attachedDevice = Mutex<DeviceID?>(nil)
    private let linkExpiry = Mutex<Task<Void, Never>?>(nil)
    private let readFailure = Mutex<(any Error)?>(nil)

    private let events: AsyncStream<SessionEvent>.Continuation
    private let eventStream: AsyncStream<SessionEvent>
    /// Coalescing: many nudges while the delivery loop is busy make one more pass.
    private let nudges: AsyncStream<Void>.Continuation
    private let nudgeStream: AsyncStream<Void>
    private let stop: AsyncStream<Void>.Continuation
    private let stopStream: AsyncStream<Void>

    /// How long a client may take to answer the server's close at shutdown.
    static let shutdownGrace: Duration = .seconds(5)

    init(context: ServerContext, outbound: WebSocketOutboundWriter, logger: Logger) {
        self.context = context
        self.outbound = outbound
        self.logger = logger
        let configuration = context.configuration
        self.machine = Mutex(ConnectionStateMachine(identity: context.identity,
                                                    challenge: SecureRandom.bytes(WireProtocol.nonceLength),
                                                    allowedSkew: configuration.authTimestampSkew))
        self.bucket = Mutex(TokenBucket(ratePerSecond: configuration.rateLimit.requestsPerSecond,
                                        burst: configuration.rateLimit.burst, now: .now))
        (eventStream, events) = AsyncStream.makeStream(of: SessionEvent.self)
        (nudgeStream, nudges) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        (stopStream, stop) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Delivers `event` to this connection's event loop.
    func post(_ event: SessionEvent) {
        events.yield(event)
    }

    /// Tells the delivery loop that the device's queue may have grown.
    func nudge() {
        nudges.yield()
    }

    /// Serves the socket until either side closes it. Rethrows the inbound error that ended
    /// it, so the WebSocket layer closes with the matching code (1009 for an oversized message).
    func run(_ inbound: WebSocketInboundStream) async throws {
        context.metrics.openConnections.increment()
        defer { context.metrics.openConnections.decrement() }
        let handshakeTimeout = context.configuration.handshakeTimeout
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    await self.readFrames(inbound)
                    self.stop.yield()
                }
                group.addTask { await self.handleEvents() }
                group.addTask { await self.deliverQueue() }
                group.addTask {
                    try? await Task.sleep(for: handshakeTimeout)
                    if !Task.isCancelled { self.post(.handshakeTimedOut) }
                }
                for await _ in stopStream { break }
                group.cancelAll()
            }
        } onGracefulShutdown: { [stop] in
            // The WebSocket layer sends the close frame; a client that never answers it
            // is cut off after a grace period so shutdown cannot hang on it.
            Task {
                try? await Task.sleep(for: Self.shutdownGrace)
                stop.yield()
            }
        }
        await finish()
        if let failure = readFailure.withLock({ $0 }) { throw failure }
    }

    // MARK: Loops

    private func readFrames(_ inbound: WebSocketInboundStream) async {
        do {
            for try await message in inbound.messages(maxSize: context.configuration.maxFrameBytes) {
                switch message {
                case .text:
                    await close(CloseReason(code: .unsupportedData, reason: "this protocol uses binary frames only"))
                    return
                case .binary(let buffer):
                    let frame = try? WireCoding.decode(WireClientFrame.self, from: buffer.readableBytesView)
                    guard bucket.withLock({ $0.take(now: .now) }) else {
                        context.metrics.rateLimited.increment()
                        let failure = RequestFailure.rateLimited("too many requests; slow down and retry")
                        await write(.error(failure.wire, requestID: frame?.requestID ?? 0))
                        continue
                    }
                    let input: ConnectionStateMachine.Input = frame.map { .frame($0) } ?? .malformedFrame
                    if Self.isHot(frame) {
                        await process(input)
                    } else {
                        await Self.inOwnTask { await self.process(input) }
                    }
                }
                if case .closed = machine.withLock({ $0.state }) { return }
            }
        } catch is CancellationError {
        } catch {
            readFailure.withLock { $0 = error }
        }
    }

    private func handleEvents() async {
        for await event in eventStream {
            await Self.inOwnTask { await self.handle(event) }
        }
    }

    private func handle(_ event: SessionEvent) async {
        switch event {
        case .replaced: await process(.replaced)
        case .revoked: await process(.revoked)
        case .handshakeTimedOut: await process(.handshakeTimedOut)
        case .linkExpired: await process(.linkExpired)
        case .linkApproved(let record):
            linkExpiry.withLock { $0?.cancel() }
            await process(.linkApproved(record))
        case .linkRequested(let request):
            if machine.withLock({ $0.device }) != nil {
                await write(WireServerFrame(requestID: 0, body: .linkRequested(request)))
            }
        case .keyPackagesLow(let notice):
            if machine.withLock({ $0.device }) != nil {
                await write(WireServerFrame(requestID: 0, body: .keyPackagesLow(notice)))
            }
        }
    }

    /// Streams the device's queue: on every nudge, reads the store from a cursor ("delivered
    /// up to queue id") onwards and pushes what it finds. The first pass, the backlog, ends
    /// with `QueueDrained`. Because pushes always come from the store in queue order and the
    /// cursor only moves forward, a send that lands during the backlog is neither reordered
    /// nor pushed twice.
    private func deliverQueue() async {
        var position = DeliveryPosition()
        for await _ in nudgeStream {
            guard let device = machine.withLock({ $0.device }) else { continue }
            guard let next = await deliverPass(to: device.id, from: position) else { return }
            position = next
        }
    }

    /// How far the delivery loop got: entries up to `cursor` are pushed, and whether the
    /// backlog's `QueueDrained` went out.
    private struct DeliveryPosition: Sendable {
        var cursor: QueueID = 0
        var drained = false
    }

    /// One pass of ``deliverQueue()``: pushes everything after `position`; `nil` once the
    /// socket is gone.
    private func deliverPass(to device: DeviceID, from position: DeliveryPosition) async -> DeliveryPosition? {
        let pageSize = max(1, context.configuration.backlogPageSize)
        var position = position
        do {
            while true {
                let page = try await context.store.pending(for: device, after: position.cursor, limit: pageSize)
                for entry in page {
                    guard await write(WireServerFrame(requestID: 0, body: .envelope(WireEnvelope(entry)))) else {
                        return nil
                    }
                    position.cursor = entry.queueID
                    context.metrics.messagesDelivered.increment()
                }
                if page.count < pageSize { break }
            }
            if !position.drained {
                position.drained = true
                guard await write(WireServerFrame(requestID: 0, body: .queueDrained(WireQueueDrained()))) else {
                    return nil
                }
            }
        } catch {
            if Task.isCancelled { return nil }
            logger.warning("reading a device queue failed; retrying",
                           metadata: ["device": "\(device)", "error": "\(String(describing: error))"])
            try? await Task.sleep(for: .seconds(1))
            nudge()
        }
        return position
    }

    /// Sends and acknowledgements, the bulk of the traffic, run in the reader's own task: a
    /// child task per frame costs about a sixth of the server's message rate (measured).
    /// Everything else (the handshake, registration, directory, device and key-package
    /// requests, whose stacks are the deepest) gets a task of its own.
    private static func isHot(_ frame: WireClientFrame?) -> Bool {
        switch frame?.body {
        case .send, .ack: true
        default: false
        }
    }

    /// Runs `body` in a child task of its own. A task keeps every allocator slab its deepest
    /// call ever needed until it ends, so the socket's long-lived loops would each hold the
    /// stack of the deepest request they ever handled (tens of KiB per idle connection,
    /// measured); run in a task that ends when it returns, that memory goes back at once.
    private static func inOwnTask<T: Sendable>(_ body: @escaping @Sendable () async -> T) async -> T {
        async let result = body()
        return await result
    }

    // MARK: Actions

    private func process(_ input: ConnectionStateMachine.Input) async {
        let actions = machine.withLock { $0.receive(input, now: Date()) }
        for action in actions { await perform(action) }
    }

    private func perform(_ action: ConnectionStateMachine.Action) async {
        let store = context.store
        switch action {
        case .send(let frame):
            await write(frame)
        case .close(let reason):
            await close(reason)
        case .lookUpDevice(let id):
            await process(.deviceLookedUp(await outcome { try await store.device(id: id) }))
        case .createAccount(let username, let device, let deviceList):
            let result = await outcome {
                try await store.createAccount(username: username, device: device, deviceList: deviceList)
            }
            if case .success(let record) = result {
                logger.info("account registered", metadata: ["device": "\(record.id)"])
            }
            await process(.accountCreated(result))
        case .claimLinkCode(let code, let key, let name):
            let now = Date()
            await process(.linkClaimed(await outcome {
                try await store.claimLinkCode(code, deviceKey: key, deviceName: name, now: now)
            }))
        case .awaitLinkApproval(let link):
            awaitApproval(of: link)
        case .attach(let device):
            attachedDevice.withLock { $0 = device.id }
            let waiting = context.live.attach(self, as: device.id, now: Date())
            logger.debug("device connected", metadata: ["device": "\(device.id)"])
            for request in waiting {
                await write(WireServerFrame(requestID: 0, body: .linkRequested(request)))
            }
            nudge()
            if let notice = await KeyPackageStockNotices(context: context).connected(device.id) {
                await write(WireServerFrame(requestID: 0, body: .keyPackagesLow(notice)))
            }
        case .perform(let requestID, let request, let device):
            switch await RequestRouter(context: context).handle(request, from: device, now: Date()) {
            case .respond(let body):
                await write(WireServerFrame(requestID: requestID, body: body))
            case .respondThenClose(let body, _):
                await write(WireServerFrame(requestID: requestID, body: body))
                await process(.revoked)
            }
        }
    }

    private func awaitApproval(of link: LinkCode) {
        guard let key = link.claimedDeviceKey else { return }
        context.live.addClaim(LiveConnections.PendingClaim(link: link, deviceKey: key,
                                                           deviceName: link.claimedDeviceName ?? "",
                                                           claimant: self))
        let wait = max(0, link.expiresAt.timeIntervalSinceNow)
        let timer = Task {
            try? await Task.sleep(for: .seconds(wait))
            if !Task.isCancelled { self.post(.linkExpired) }
        }
        linkExpiry.withLock { $0 = timer }
    }

    @discardableResult
    private func write(_ frame: WireServerFrame) async -> Bool {
        do {
            try await outbound.write(.binary(ByteBuffer(bytes: WireCoding.encode(frame))))
            return true
        } catch {
            return false
        }
    }

    private func close(_ reason: CloseReason) async {
        if reason.code == .authenticationFailed || reason.code == .handshakeTimeout {
            context.metrics.authenticationFailures.increment()
        }
        logger.debug("closing connection", metadata: ["code": "\(reason.code.rawValue)", "reason": "\(reason.reason)"])
        try? await outbound.close(WebSocketErrorCode(codeNumber: Int(reason.code.rawValue)), reason: reason.reason)
        stop.yield()
    }

    /// Leaves the shared registries once the socket is done.
    private func finish() async {
        linkExpiry.withLock { $0?.cancel() }
        if let device = attachedDevice.withLock({ $0 }) {
            context.live.detach(self, as: device)
        }
        // A claim whose claimant left can never complete: drop the code with it.
        for code in context.live.removeClaims(of: self) {
            try? await context.store.deleteLinkCode(code)
        }
        events.finish()
        nudges.finish()
        stop.finish()
    }

    private func outcome<T>(_ body: () async throws -> T) async -> Result<T, any Error> {
        do {
            return .success(try await body())
        } catch {
            return .failure(error)
        }
    }
}

extension WireEnvelope {
    init(_ entry: QueuedMessage) {
        self.init()
        queueID = entry.queueID
        senderDeviceID = entry.sender
        senderUsername = entry.senderUsername
        clientMessageID = Data(entry.clientMessageID)
        serverTimeMs = WireTime.milliseconds(entry.receivedAt)
        body = Data(entry.body)
    }
}
