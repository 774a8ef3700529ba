import Foundation
import Logging
import TacitWire

/// A Tacit device: its identity, its account, and its connection to the server.
///
/// A client is bound to one home directory (see ``ClientHome``), where it keeps the
/// device key, the account, the server and its pinned key, and what the app has already
/// processed. Typical use:
///
/// ```swift
/// let client = try TacitClient(home: .default())
/// try await client.register(username: "alice", server: ServerURL("ws://127.0.0.1:8080"))
/// try await client.connect()
/// let bob = try await client.lookup(username: "bob")
/// try await client.send(to: bob.deviceIDs, body: Array("hi".utf8))
/// for await envelope in client.incoming {
///     show(envelope)
///     try await client.acknowledge(envelope)
/// }
/// ```
///
/// The server's identity key is pinned on first contact; a different key later fails
/// with ``ClientError/serverIdentityChanged(server:pinned:presented:)``.
public actor TacitClient {
    /// Tunables; the defaults suit people and tests alike.
    public struct Options: Sendable {
        /// The name this device shows in device lists (set when the device key is made).
        public var deviceName: String
        /// Delays between reconnects and between send retries.
        public var backoff: Backoff
        /// How long a request may wait for its answer.
        public var requestTimeout: Duration
        /// How long the handshake may take (a link-code claim waits for approval instead,
        /// up to ``linkTimeout``).
        public var handshakeTimeout: Duration
        public var linkTimeout: Duration
        /// The largest message accepted from the server.
        public var maxMessageSize: Int
        /// How long processed-message ids are kept for de-duplication (longer than the
        /// server keeps queue entries).
        public var processedRetention: Duration

        public init(deviceName: String = DeviceName.local,
                    backoff: Backoff = Backoff(),
                    requestTimeout: Duration = .seconds(20),
                    handshakeTimeout: Duration = .seconds(15),
                    linkTimeout: Duration = .seconds(15 * 60),
                    maxMessageSize: Int = 8 << 20,
                    processedRetention: Duration = .seconds(45 * 24 * 3600)) {
            self.deviceName = deviceName
            self.backoff = backoff
            self.requestTimeout = requestTimeout
            self.handshakeTimeout = handshakeTimeout
            self.linkTimeout = linkTimeout
            self.maxMessageSize = maxMessageSize
            self.processedRetention = processedRetention
        }
    }

    /// Where this device keeps its state.
    public nonisolated let home: ClientHome
    /// This device's Ed25519 public key.
    public nonisolated let deviceKey: [UInt8]
    /// Messages for this device, each handed over once. Acknowledge each with
    /// ``acknowledge(_:)`` once it is safely processed. The stream ends on ``close()``.
    ///
    /// Iterate it from one long-lived task: as with any `AsyncStream`, cancelling the task
    /// that iterates it ends the stream for good.
    public nonisolated let incoming: AsyncStream<IncomingEnvelope>
    /// What the server tells this device outside of requests (such as
    /// ``ServerNotice/keyPackagesLow(stock:)``), in arrival order. The stream ends on
    /// ``close()``; notices that arrive while nobody iterates it are kept (the newest 64).
    public nonisolated let notices: AsyncStream<ServerNotice>

    let options: Options
    let logger: Logger
    let store: LocalStore
    let identity: DeviceIdentity
    let incomingContinuation: AsyncStream<IncomingEnvelope>.Continuation
    let noticesContinuation: AsyncStream<ServerNotice>.Continuation
    var local: LocalStore.State
    var isClosed = false

    // Connection (see TacitClient+Connection.swift).
    var supervisor: Task<Void, Never>?
    var session: Session?
    var stopReason: ClientError?
    var failedAttempts = 0
    var lastError: ClientError?
    var sessionWaiters: [UUID: CheckedContinuation<Result<Session, ClientError>, Never>] = [:]

    // Delivery (see TacitClient+Messaging.swift).
    var inFlight: Set<MessageKey> = []
    var pendingAcks: Set<UInt64> = []
    var ackFlush: Task<Void, Never>?
    var deliveredCount = 0
    var backlogDrained = false
    var drainWaiters: [UUID: CheckedContinuation<Result<Int, ClientError>, Never>] = [:]

    // Linking (see TacitClient+Devices.swift).
    var ownLinkCodes: Set<String> = []
    var linkOutcomes: [String: Result<DeviceInfo, ClientError>] = [:]
    var linkWaiters: [String: [UUID: CheckedContinuation<Result<DeviceInfo, ClientError>, Never>]] = [:]

    /// Opens the device state under `home`, generating the device key on first use.
    public init(home: ClientHome = .default(), options: Options = Options(),
                logger: Logger = Logger(label: "tacit.client")) throws(ClientError) {
        self.home = home
        self.options = options
        self.logger = logger
        self.store = try LocalStore(home: home, deviceName: options.deviceName)
        self.local = try store.load()
        self.identity = local.identity
        self.deviceKey = local.identity.publicKey
        (incoming, incomingContinuation) = AsyncStream.makeStream()
        (notices, noticesContinuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(64))
        try store.pruneProcessed(before: Date() - options.processedRetention.seconds)
    }

    /// The account name, once registered or linked.
    public var username: String? { local.account?.username }
    /// This device's id on the server, once registered or linked.
    public var deviceID: DeviceID? { local.account?.deviceID }
    /// The server this device talks to.
    public var server: ServerURL? { local.server }
    /// The server identity key pinned on first contact.
    public var pinnedServerKey: [UInt8]? { local.serverKey }
    /// The name this device has in its account's device list.
    public var deviceName: String { local.deviceName }
    /// Whether a connection is open and authenticated right now.
    public var isConnected: Bool { session?.isOpen ?? false }
    /// Why the last connection (or connection attempt) ended, for telling people why the
    /// client is still reconnecting.
    public var lastConnectionError: ClientError? { lastError }

    /// Stops reconnecting, closes the connection and ends ``incoming``. Waiting calls fail
    /// with ``ClientError/closed``.
    public func close() async {
        guard !isClosed else { return }
        isClosed = true
        stop(.closed)
        let running = supervisor
        supervisor = nil
        running?.cancel()
        session?.close()
        incomingContinuation.finish()
        noticesContinuation.finish()
        await running?.value
        ackFlush?.cancel()
    }

    func parameters(auth: AuthRequest, server: ServerURL, pinnedKey: [UInt8]?,
                    handshakeTimeout: Duration? = nil) -> SessionParameters {
        SessionParameters(server: server, identity: identity, pinnedKey: pinnedKey, auth: auth,
                          requestTimeout: options.requestTimeout,
                          handshakeTimeout: handshakeTimeout ?? options.handshakeTimeout,
                          maxMessageSize: options.maxMessageSize, logger: logger)
    }
}

/// Identifies a message the way senders make it unique.
struct MessageKey: Hashable, Sendable {
    var sender: DeviceID
    var clientMessageID: ClientMessageID
}
