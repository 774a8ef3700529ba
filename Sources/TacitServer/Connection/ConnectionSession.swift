import Foundation
import Logging
import NIOCore
import Prometheus
import Synchronization
import TacitStore
import TacitWire

/// The I/O shell around one device socket: it feeds the ``ConnectionStateMachine`` and
/// carries out its actions against the socket, the store and the other live connections.
///
/// Nothing here waits on the socket. The ``DeviceSocketHandler`` hands in each message on
/// the event loop; frames and events are handled one at a time, in order, by ``requests``;
/// the device's queue is streamed by a delivery run that starts when nudged. Both run in
/// tasks that end when their work does, so an idle connection holds no task.
final class ConnectionSession: Sendable {
    private let context: ServerContext
    private let socket: DeviceSocketWriter
    private let sockets: DeviceSockets
    private let logger: Logger
    private let machine: Mutex<ConnectionStateMachine>
    private let bucket: Mutex<TokenBucket>
    private let attachedDevice = Mutex<DeviceID?>(nil)
    private let linkExpiry = Mutex<Task<Void, Never>?>(nil)
    private let handshakeTimer = Mutex<Scheduled<Void>?>(nil)
    private let finished = Mutex(false)
    /// Frames and events, in arrival order.
    private let requests = SerialJobs()
    private let delivery = Mutex(DeliveryState())

    /// How long a client may take to answer the server's close at shutdown.
    static let shutdownGrace: Duration = .seconds(5)

    init(context: ServerContext, socket: DeviceSocketWriter, sockets: DeviceSockets, logger: Logger) {
        self.context = context
        self.socket = socket
        self.sockets = sockets
        self.logger = logger
        let configuration = context.configuration
        self.machine = Mutex(ConnectionStateMachine(identity: context.identity,
                                                    challenge: SecureRandom.bytes(WireProtocol.nonceLength),
                                                    allowedSkew: configuration.authTimestampSkew))
        self.bucket = Mutex(TokenBucket(ratePerSecond: configuration.rateLimit.requestsPerSecond,
                                        burst: configuration.rateLimit.burst, now: .now))
    }

    /// Starts the handshake clock (a timer of the event loop, not a task).
    func start(on eventLoop: any EventLoop) {
        context.metrics.openConnections.increment()
        let timer = eventLoop.scheduleTask(in: TimeAmount(context.configuration.handshakeTimeout)) { [weak self] in
            guard let self else { return }
            self.post(.handshakeTimedOut)
        }
        handshakeTimer.withLock { $0 = timer }
    }

    /// Delivers `event` to this connection, after the frames before it.
    func post(_ event: SessionEvent) {
        requests.submit { await self.handle(event) }
    }

    /// Tells the delivery run that the device's queue may have grown.
    func nudge() {
        let start = delivery.withLock { state -> Bool in
            guard !state.closed else { return false }
            if state.running {
                state.again = true
                return false
            }
            state.running = true
            return true
        }
        if start { Task { await self.deliverQueue() } }
    }

    // MARK: From the socket (on its event loop)

    /// A complete binary message. `.pause` asks the socket to stop reading for now.
    func receive(_ message: ByteBuffer) -> SerialJobs.Admission {
        let frame = try? WireCoding.decode(WireClientFrame.self, from: message.readableBytesView)
        guard bucket.withLock({ $0.take(now: .now) }) else {
            context.metrics.rateLimited.increment()
            let failure = RequestFailure.rateLimited("too many requests; slow down and retry")
            socket.send(.error(failure.wire, requestID: frame?.requestID ?? 0))
            return .accepted
        }
        let input: ConnectionStateMachine.Input = frame.map { .frame($0) } ?? .malformedFrame
        return requests.submit { await self.process(input) }
    }

    /// Calls `resume` once the queue of requests is short again.
    func whenRequestsDrained(_ resume: @escaping @Sendable () -> Void) {
        requests.whenDrained(resume)
    }

    /// A text message: this protocol speaks binary only.
    func receiveText() {
        requests.submit {
            self.close(CloseReason(code: .unsupportedData, reason: "this protocol uses binary frames only"))
        }
    }

    /// The socket is closed: leave the registries once the requests before are done.
    func socketClosed() {
        end()
    }

    // MARK: Events and delivery

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
                write(WireServerFrame(requestID: 0, body: .linkRequested(request)))
            }
        case .keyPackagesLow(let notice):
            if machine.withLock({ $0.device }) != nil {
                write(WireServerFrame(requestID: 0, body: .keyPackagesLow(notice)))
            }
        }
    }

    /// The delivery run: at most one at a time; nudges while it runs make it go round once more.
    private struct DeliveryState {
        var running = false
        var again = false
        var closed = false
        /// Entries up to here are pushed.
        var cursor: QueueID = 0
        /// The backlog's `QueueDrained` went out.
        var drained = false
    }

    /// Streams the device's queue: reads the store from a cursor ("delivered up to queue
    /// id") onwards and pushes what it finds, a page per write. The first pass, the backlog,
    /// ends with `QueueDrained`. Because pushes always come from the store in queue order
    /// and the cursor only moves forward, a send that lands during the backlog is neither
    /// reordered nor pushed twice.
    private func deliverQueue() async {
        repeat {
            if let device = machine.withLock({ $0.device }) { await deliverPass(to: device.id) }
        } while delivery.withLock { state -> Bool in
            if state.again, !state.closed {
                state.again = false
                return true
            }
            state.running = false
            return false
        }
    }

    /// One pass of ``deliverQueue()``: pushes everything after the cursor.
    private func deliverPass(to device: DeviceID) async {
        let pageSize = max(1, context.configuration.backlogPageSize)
        var (cursor, drained) = delivery.withLock { ($0.cursor, $0.drained) }
        do {
            while true {
                let page = try await context.store.pending(for: device, after: cursor, limit: pageSize)
                var frames = page.map { WireServerFrame(requestID: 0, body: .envelope(WireEnvelope($0))) }
                let full = page.count == pageSize
                if !full, !drained { frames.append(WireServerFrame(requestID: 0, body: .queueDrained(WireQueueDrained()))) }
                guard await socket.sendAndWait(frames) else { return }
                context.metrics.messagesDelivered.increment(by: Int64(page.count))
                cursor = page.last?.queueID ?? cursor
                if !full { drained = true }
                delivery.withLock { state in
                    state.cursor = cursor
                    state.drained = drained
                }
                if !full { return }
            }
        } catch {
            logger.warning("reading a device queue failed; retrying",
                           metadata: ["device": "\(device)", "error": "\(String(describing: error))"])
            try? await Task.sleep(for: .seconds(1))
            delivery.withLock { $0.again = true }
        }
    }

    // MARK: Actions

    private func process(_ input: ConnectionStateMachine.Input) async {
        if case .closed = machine.withLock({ $0.state }) { return }
        let actions = machine.withLock { $0.receive(input, now: Date()) }
        for action in actions { await perform(action) }
    }

    private func perform(_ action: ConnectionStateMachine.Action) async {
        let store = context.store
        switch action {
        case .send(let frame):
            write(frame)
        case .close(let reason):
            close(reason)
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
                write(WireServerFrame(requestID: 0, body: .linkRequested(request)))
            }
            nudge()
            if let notice = await KeyPackageStockNotices(context: context).connected(device.id) {
                write(WireServerFrame(requestID: 0, body: .keyPackagesLow(notice)))
            }
        case .perform(let requestID, let request, let device):
            switch await RequestRouter(context: context).handle(request, from: device, now: Date()) {
            case .respond(let body):
                write(WireServerFrame(requestID: requestID, body: body))
            case .respondThenClose(let body, _):
                write(WireServerFrame(requestID: requestID, body: body))
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

    private func write(_ frame: WireServerFrame) {
        socket.send(frame)
    }

    private func close(_ reason: CloseReason) {
        if reason.code == .authenticationFailed || reason.code == .handshakeTimeout {
            context.metrics.authenticationFailures.increment()
        }
        logger.debug("closing connection", metadata: ["code": "\(reason.code.rawValue)", "reason": "\(reason.reason)"])
        socket.close(reason)
        // The session ends now; only the closing handshake is left to the socket (a
        // replaced connection may be dead, and nobody would answer it).
        end()
    }

    /// Stops delivery and queues ``finish()`` behind the requests already queued.
    private func end() {
        delivery.withLock { $0.closed = true }
        requests.submit { await self.finish() }
    }

    /// Leaves the shared registries: when the server closes, or when the socket is gone.
    private func finish() async {
        guard finished.withLock({ finished in
            defer { finished = true }
            return !finished
        }) else { return }
        handshakeTimer.withLock { $0?.cancel() }
        linkExpiry.withLock { $0?.cancel() }
        if let device = attachedDevice.withLock({ $0 }) {
            context.live.detach(self, as: device)
        }
        // A claim whose claimant left can never complete: drop the code with it.
        for code in context.live.removeClaims(of: self) {
            try? await context.store.deleteLinkCode(code)
        }
        context.metrics.openConnections.decrement()
        sockets.finished(socket.channel)
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
