import Crypto
import Foundation
import Logging
import TacitMLS

/// End-to-end encrypted conversations over MLS, on top of one ``TacitClient``.
///
/// Every conversation is an MLS group (cipher suite 1) whose members are all devices of its
/// member accounts. The messenger consumes ``TacitClient/incoming`` (nothing else may), keeps
/// conversations, messages, MLS state and contacts in the client's local store (sealed with
/// the ``StoreKey``), and reports what happens as ``MessengerEvent``s.
///
/// ```swift
/// let client = try TacitClient(home: .default())
/// let messenger = try await Messenger(client: client)
/// try await messenger.start()                       // connects, publishes KeyPackages
/// let chat = try await messenger.createGroup(name: "Hiking", members: ["bob", "carol"])
/// try await messenger.send(text: "Saturday?", to: chat)
/// for await event in messenger.events() { print(event) }
/// ```
///
/// All changes to one device's groups run one after another, so an incoming Commit never
/// races a local one. A local Commit that loses its epoch to another member's is discarded,
/// the winner is processed, and the change is recomputed and sent again.
public actor Messenger {
    /// The client this messenger runs on.
    public nonisolated let client: TacitClient
    /// This account.
    public nonisolated let username: String
    /// This device.
    public nonisolated let deviceID: DeviceID

    let options: Options
    let logger: Logger
    let store: MessengerStore
    let signingIdentity: MLSSigningIdentity
    let suite: any CipherSuite
    let groupConfiguration: MLSGroupConfiguration

    var groups: [ConversationID: MLSGroup] = [:]
    var conversationsByID: [ConversationID: Conversation] = [:]
    var contactsByName: [String: Contact] = [:]

    // The incoming pipeline (see Messenger+Incoming.swift).
    var inbox: [IncomingEnvelope] = []
    var drainScheduled = false
    /// How many envelopes ``TacitClient/incoming`` has handed over since start.
    var enqueuedCount = 0
    /// Messages of epochs this device has not reached yet, retried after each Commit.
    var deferred: [ConversationID: [IncomingEnvelope]] = [:]
    var tasks: [Task<Void, Never>] = []
    var isStarted = false
    var isClosed = false
    /// Called with every MLS message before it is processed (tests capture ciphertexts with it).
    var messageTap: (@Sendable (MLSMessage) -> Void)?

    // One operation on groups at a time.
    var gateBusy = false
    var gateWaiters: [CheckedContinuation<Void, Never>] = []

    var subscribers: [UUID: AsyncStream<MessengerEvent>.Continuation] = [:]

    /// Opens the messenger state of `client` (which must be registered or linked).
    ///
    /// - Parameter storeKey: where the key sealing the local store comes from; the same
    ///   choice must be made every time this home is opened.
    public init(client: TacitClient, storeKey: StoreKey = .keyFile, options: Options = Options(),
                logger: Logger = Logger(label: "tacit.messenger")) async throws(MessengerError) {
        guard let username = await client.username, let deviceID = await client.deviceID else {
            throw .client(.notRegistered)
        }
        self.client = client
        self.username = username
        self.deviceID = deviceID
        self.options = options
        self.logger = logger
        store = try MessengerStore(local: client.store, key: storeKey)
        let identity = client.identity
        do {
            suite = try CipherSuiteID.mls128X25519AES128GCMSHA256Ed25519.suite()
        } catch {
            throw .mls(.internalFailure("cipher suite 1 is unavailable: \(error)"))
        }
        signingIdentity = MLSSigningIdentity(
            credential: .basic(identity: TacitClient.memberIdentity(username: username, deviceID: deviceID)),
            signatureKeyPair: SignatureKeyPair(privateKey: Array(identity.privateKeyBytes), publicKey: identity.publicKey))
        groupConfiguration = MLSGroupConfiguration(credentialValidator: TacitCredentialValidator(),
                                                   pastEpochRetention: options.pastEpochRetention,
                                                   handshakeWireFormat: .privateMessage)
        try loadState()
    }

    /// Restores conversations, groups and contacts from the store.
    private func loadState() throws(MessengerError) {
        for conversation in try store.conversations() { conversationsByID[conversation.id] = conversation }
        for (id, bytes) in try store.groupStates() {
            do {
                groups[id] = try MLSGroup(serializedState: bytes, configuration: groupConfiguration)
            } catch {
                logger.error("cannot restore a group; it is skipped", metadata: ["conversation": "\(id)", "error": "\(error)"])
            }
        }
        for contact in try store.contacts() { contactsByName[contact.username] = contact }
    }

    /// Connects the client, starts the incoming pipeline, sends what the outbox still holds,
    /// tops up KeyPackages and, on a newly linked device, asks the account's other devices
    /// to add it to the account's conversations.
    public func start() async throws(MessengerError) {
        guard !isClosed else { throw .client(.closed) }
        guard !isStarted else { return }
        isStarted = true
        let client = self.client
        tasks.append(Task { [weak self] in
            for await envelope in client.incoming {
                guard let self else { return }
                await self.enqueue(envelope)
            }
        })
        tasks.append(Task { [weak self] in
            for await notice in client.notices {
                guard let self else { return }
                await self.handle(notice)
            }
        })
        let interval = options.sweepInterval
        tasks.append(Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard let self else { return }
                await self.sweepExpiredMessages()
            }
        })
        do {
            try await client.connect()
        } catch {
            throw .client(error)
        }
        try await exclusively { () async throws(MessengerError) in await finishPendingCommits() }
        try await resendOutbox()
        try await topUpKeyPackages()
        try await announceIfNewDevice()
    }

    /// Stops the pipeline and ends every ``events()`` stream. The client stays open.
    public func close() {
        isClosed = true
        for task in tasks { task.cancel() }
        tasks.removeAll()
        for subscriber in subscribers.values { subscriber.finish() }
        subscribers.removeAll()
    }

    // MARK: Reading

    /// Every conversation on this device, most recently active first.
    public func conversations() -> [Conversation] {
        conversationsByID.values.sorted { ($0.updatedAt, $0.id.description) > ($1.updatedAt, $1.id.description) }
    }

    /// One conversation.
    public func conversation(_ id: ConversationID) throws(MessengerError) -> Conversation {
        guard let conversation = conversationsByID[id] else { throw .unknownConversation(id) }
        return conversation
    }

    /// The conversation's messages, oldest first: the `limit` newest ones sent before `before`.
    public func messages(in id: ConversationID, limit: Int = 50, before: Date? = nil) throws(MessengerError) -> [ChatMessage] {
        guard conversationsByID[id] != nil else { throw .unknownConversation(id) }
        let now = Date()
        return try store.messages(in: id, limit: max(0, limit), before: before).filter { message in
            message.expiresAt.map { $0 > now } ?? true
        }
    }

    /// The messages ``Conversation/unreadCount`` counts: the newest incoming ones, oldest
    /// first. (The newest `unreadCount` messages would also hold this device's own, sent after
    /// the unread ones arrived.)
    public func unreadMessages(in id: ConversationID) throws(MessengerError) -> [ChatMessage] {
        guard let conversation = conversationsByID[id] else { throw .unknownConversation(id) }
        let wanted = conversation.unreadCount
        guard wanted > 0 else { return [] }
        var limit = wanted + 32
        while true {
            let page = try messages(in: id, limit: limit)
            let incoming = page.filter { !$0.isOutgoing }
            if incoming.count >= wanted || page.count < limit { return Array(incoming.suffix(wanted)) }
            limit *= 4
        }
    }

    /// One message.
    public func message(_ id: MessageID, in conversation: ConversationID) throws(MessengerError) -> ChatMessage {
        guard let message = try store.read({ db in try store.message(id, in: conversation, db: db) }) else {
            throw .unknownMessage(id)
        }
        return message
    }

    /// The direct conversation with `username`, if there is one.
    public func directConversation(with username: String) -> Conversation? {
        conversations().first { $0.isDirect && $0.peer == username && $0.status == .active }
    }

    /// What happens from now on: messages, edits, receipts, typing, membership and contact
    /// changes. Each call returns a new stream; several may be open at once.
    public func events() -> AsyncStream<MessengerEvent> {
        let (stream, continuation) = AsyncStream<MessengerEvent>.makeStream(bufferingPolicy: .bufferingNewest(10_000))
        if isClosed {
            continuation.finish()
            return stream
        }
        let id = UUID()
        subscribers[id] = continuation
        continuation.onTermination = { _ in Task { await self.removeSubscriber(id) } }
        return stream
    }

    private func removeSubscriber(_ id: UUID) {
        subscribers.removeValue(forKey: id)
    }

    func emit(_ events: [MessengerEvent]) {
        for event in events {
            for subscriber in subscribers.values { subscriber.yield(event) }
        }
    }

    // MARK: Serializing group work

    /// Runs `body` while no other group operation runs.
    func exclusively<T>(_ body: () async throws(MessengerError) -> T) async throws(MessengerError) -> T {
        if gateBusy {
            await withCheckedContinuation { gateWaiters.append($0) }
        } else {
            gateBusy = true
        }
        defer {
            if gateWaiters.isEmpty {
                gateBusy = false
            } else {
                gateWaiters.removeFirst().resume()
            }
        }
        return try await body()
    }

    // MARK: Error plumbing

    static func mls<T>(_ body: () throws(MLSGroupError) -> T) throws(MessengerError) -> T {
        do {
            return try body()
        } catch {
            throw .mls(error)
        }
    }

    func clientCall<T>(_ body: () async throws(ClientError) -> T) async throws(MessengerError) -> T {
        do {
            return try await body()
        } catch {
            throw .client(error)
        }
    }

    /// The group of an active conversation.
    func activeGroup(_ id: ConversationID) throws(MessengerError) -> (MLSGroup, Conversation) {
        guard let conversation = conversationsByID[id] else { throw .unknownConversation(id) }
        guard conversation.status == .active, let group = groups[id], group.status == .active else {
            throw .notAMember(id)
        }
        return (group, conversation)
    }

    /// The capabilities of this device's leaves: the defaults plus Tacit's metadata extension.
    var leafCapabilities: Capabilities {
        var capabilities = Capabilities.tacitDefault()
        capabilities.extensions.append(ConversationMetadata.extensionType)
        return capabilities
    }

    /// The exporter secret that proves to the server which epoch a Commit builds on.
    static func epochToken(of group: MLSGroup) throws(MessengerError) -> [UInt8] {
        try mls { () throws(MLSGroupError) in try group.export(label: "tacit ds epoch token", context: [], length: 32) }
    }
}

/// Accepts basic credentials whose identity is a Tacit member identity (username + device id).
struct TacitCredentialValidator: CredentialValidator {
    func isValid(_ credential: Credential, signatureKey: SignaturePublicKey) -> Bool {
        guard case .basic(let identity) = credential else { return false }
        return TacitClient.parseMemberIdentity(identity) != nil
    }

    func isValidReplacement(of old: Credential, by new: Credential) -> Bool { old == new }
}
