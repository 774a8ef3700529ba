import Foundation
import Logging
import Synchronization
import TacitClient

/// `tacit bench conversation`: one MLS group conversation of `members` accounts, built and
/// used through the SDK exactly as apps do (``Messenger``): every member registers and
/// publishes a KeyPackage, then goes offline; the creator makes the group (claiming all
/// KeyPackages, one Commit per ``Messenger/Options/maximumAddsPerCommit`` adds, Welcomes
/// queued for the offline members); `online` members come back, join from their Welcome and
/// catch up; then the creator sends `messages` messages and the time until the last online
/// member has decrypted each is measured.
public struct ConversationOptions: Sendable {
    public var server: ServerURL
    /// Accounts in the group, the creator included.
    public var members: Int
    /// Members that come online after the group is made and read its messages.
    public var online: Int
    /// Measured messages, sent one after the other.
    public var messages: Int
    /// Where the members' client homes are made (removed afterwards).
    public var directory: URL
    /// How long one step (a join, one message reaching everyone) may take.
    public var stepTimeout: Duration

    public init(server: ServerURL, members: Int, online: Int = 3, messages: Int = 20, directory: URL,
                stepTimeout: Duration = .seconds(300)) {
        self.server = server
        self.members = members
        self.online = online
        self.messages = messages
        self.directory = directory
        self.stepTimeout = stepTimeout
    }

    public func validate() throws(BenchError) {
        guard (2...5_000).contains(members) else { throw .setup("--members must be 2...5000") }
        guard (1...min(members - 1, 50)).contains(online) else { throw .setup("--online must be 1...min(members-1, 50)") }
        guard (1...1_000).contains(messages) else { throw .setup("--messages must be 1...1000") }
    }
}

/// What `tacit bench conversation` measured.
public struct ConversationReport: Sendable, Codable, Equatable {
    public var members: Int
    public var online: Int
    public var messages: Int
    /// Registering every member and publishing its KeyPackage.
    public var registrationSeconds: Double
    /// `createGroup` with every member: KeyPackage claims, the Commits and their fan-out.
    public var createSeconds: Double
    /// The group's epoch once everyone was added (one per Commit).
    public var epoch: UInt64
    /// The first message, sent right after creation.
    public var firstSendSeconds: Double
    /// An online member: from opening its messenger to holding the first message.
    public var joinSeconds: [Double]
    /// A measured message: from `send` returning to the last online member having decrypted it.
    public var delivery: LatencySummary
    /// Messages that did not reach every online member in time.
    public var lost: Int

    public var table: ReportTable {
        ReportTable(title: "tacit bench conversation: \(members) members (MLS, through the SDK)", rows: [
            ("registration", "\(Figures.decimal(registrationSeconds, places: 2)) s for \(members) accounts"),
            ("create group", "\(Figures.decimal(createSeconds, places: 2)) s, epoch \(epoch)"),
            ("first message sent", "\(Figures.decimal(firstSendSeconds * 1_000, places: 1)) ms"),
            ("online member joins", joinSeconds.map { Figures.decimal($0, places: 2) + " s" }.joined(separator: ", ")),
            ("delivery to \(online) online", "p50 \(Figures.decimal(delivery.p50Ms, places: 1)) ms, "
                + "p99 \(Figures.decimal(delivery.p99Ms, places: 1)) ms, max \(Figures.decimal(delivery.maxMs, places: 1)) ms "
                + "(\(delivery.count) messages)"),
            ("lost", "\(lost)"),
        ])
    }
}

public enum ConversationWorkload {
    public static func run(_ options: ConversationOptions,
                           progress: @Sendable (String) -> Void = { _ in }) async throws -> ConversationReport {
        try options.validate()
        try FileManager.default.createDirectory(at: options.directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: options.directory) }
        let run = UUID().uuidString.prefix(6).lowercased()
        let messengerOptions: Messenger.Options = {
            // One KeyPackage each is all the group needs; refills would only add load.
            var options = Messenger.Options()
            options.keyPackageBatch = 1
            options.keyPackageLowWatermark = 0
            return options
        }()

        progress("registering \(options.members) accounts")
        let registered = ContinuousClock.now
        let creator = try await BenchMember.register("c\(run)", options: options, messengerOptions: messengerOptions)
        var offline: [(String, ClientHome)] = []
        let names = (1..<options.members).map { "m\(run)x\($0)" }
        try await withThrowingTaskGroup(of: (String, ClientHome).self) { group in
            // A few registrations at a time: each is a handshake, a signature and a KeyPackage.
            var queued = names[...]
            for _ in 0..<8 {
                guard let name = queued.popFirst() else { break }
                group.addTask { try await BenchMember.registerOffline(name, options: options, messengerOptions: messengerOptions) }
            }
            while let done = try await group.next() {
                offline.append(done)
                if let name = queued.popFirst() {
                    group.addTask { try await BenchMember.registerOffline(name, options: options, messengerOptions: messengerOptions) }
                }
            }
        }
        let registrationSeconds = (ContinuousClock.now - registered).seconds

        progress("creating the group")
        let created = ContinuousClock.now
        let conversation = try await creator.messenger.createGroup(name: "bench \(run)", members: offline.map(\.0))
        let createSeconds = (ContinuousClock.now - created).seconds
        let epoch = try await creator.messenger.conversation(conversation).epoch
        let firstSent = ContinuousClock.now
        _ = try await creator.messenger.send(text: "first", to: conversation)
        let firstSendSeconds = (ContinuousClock.now - firstSent).seconds

        // Spread over the order of adding: early members catch up through more Commits.
        let chosen = (0..<options.online).map { offline[$0 * (offline.count - 1) / max(1, options.online - 1)] }
        var online: [BenchMember] = []
        var joinSeconds: [Double] = []
        for (name, home) in chosen {
            progress("\(name) comes online and joins")
            let opened = ContinuousClock.now
            let member = try await BenchMember.reopen(name, home: home, options: options, messengerOptions: messengerOptions)
            try await member.waitForText("first", in: conversation, timeout: options.stepTimeout)
            joinSeconds.append((ContinuousClock.now - opened).seconds)
            online.append(member)
        }

        progress("sending \(options.messages) messages to \(options.online) online members")
        var histogram = LatencyHistogram()
        var lost = 0
        for index in 0..<options.messages {
            let text = "measured \(index)"
            _ = try await creator.messenger.send(text: text, to: conversation)
            let sent = ContinuousClock.now
            do {
                for member in online { try await member.waitForText(text, in: conversation, timeout: options.stepTimeout) }
                let elapsed = ContinuousClock.now - sent
                histogram.record(nanoseconds: UInt64(max(0, elapsed.seconds * 1e9)))
            } catch {
                lost += 1
            }
        }
        for member in online { await member.close() }
        await creator.close()
        return ConversationReport(members: options.members, online: options.online, messages: options.messages,
                                  registrationSeconds: registrationSeconds, createSeconds: createSeconds, epoch: epoch,
                                  firstSendSeconds: firstSendSeconds, joinSeconds: joinSeconds,
                                  delivery: histogram.summary, lost: lost)
    }
}

/// One account of the bench: its client and messenger, and the texts it has received.
private struct BenchMember: Sendable {
    let client: TacitClient
    let messenger: Messenger
    let home: ClientHome
    let received: ReceivedTexts

    static func register(_ name: String, options: ConversationOptions,
                         messengerOptions: Messenger.Options) async throws -> BenchMember {
        let home = ClientHome(directory: options.directory.appendingPathComponent(name, isDirectory: true))
        let client = try TacitClient(home: home, options: TacitClient.Options(deviceName: "bench"), logger: quiet)
        _ = try await client.register(username: name, server: options.server)
        return try await start(client, home: home, messengerOptions: messengerOptions)
    }

    /// Registers, publishes its KeyPackage and goes offline again.
    static func registerOffline(_ name: String, options: ConversationOptions,
                                messengerOptions: Messenger.Options) async throws -> (String, ClientHome) {
        let member = try await register(name, options: options, messengerOptions: messengerOptions)
        await member.close()
        return (name, member.home)
    }

    static func reopen(_ name: String, home: ClientHome, options: ConversationOptions,
                       messengerOptions: Messenger.Options) async throws -> BenchMember {
        let client = try TacitClient(home: home, options: TacitClient.Options(deviceName: "bench"), logger: quiet)
        return try await start(client, home: home, messengerOptions: messengerOptions)
    }

    private static func start(_ client: TacitClient, home: ClientHome,
                              messengerOptions: Messenger.Options) async throws -> BenchMember {
        let messenger = try await Messenger(client: client, options: messengerOptions, logger: quiet)
        let received = ReceivedTexts(await messenger.events())
        try await messenger.start()
        return BenchMember(client: client, messenger: messenger, home: home, received: received)
    }

    func waitForText(_ text: String, in conversation: ConversationID, timeout: Duration) async throws {
        try await received.wait(for: text, in: conversation, timeout: timeout)
    }

    func close() async {
        await messenger.close()
        await client.close()
        received.stop()
    }
}

private let quiet: Logger = {
    var logger = Logger(label: "tacit.bench.conversation")
    logger.logLevel = .error
    return logger
}()

/// Texts that arrived per conversation, with waiters woken as they come.
private final class ReceivedTexts: Sendable {
    private struct Waiter {
        var key: String
        var continuation: CheckedContinuation<Bool, Never>
    }
    private struct State {
        var texts: Set<String> = []
        var waiters: [UUID: Waiter] = [:]
    }
    private let state = Mutex<State>(State())
    private let consumer = Mutex<Task<Void, Never>?>(nil)

    init(_ events: AsyncStream<MessengerEvent>) {
        let task = Task { [self] in
            for await event in events {
                guard case .messageReceived(let message) = event else { continue }
                self.arrived(Self.key(message.text, message.conversationID))
            }
        }
        consumer.withLock { $0 = task }
    }

    private static func key(_ text: String, _ conversation: ConversationID) -> String { "\(conversation)\u{0}\(text)" }

    private func arrived(_ key: String) {
        let woken = state.withLock { state in
            state.texts.insert(key)
            let ready = state.waiters.filter { $0.value.key == key }
            for id in ready.keys { state.waiters[id] = nil }
            return ready.values.map(\.continuation)
        }
        for continuation in woken { continuation.resume(returning: true) }
    }

    /// Resumes the waiter `id` with `false` (timed out, cancelled), if it still waits.
    private func abandon(_ id: UUID) {
        let waiter = state.withLock { state in
            defer { state.waiters[id] = nil }
            return state.waiters[id]
        }
        waiter?.continuation.resume(returning: false)
    }

    func wait(for text: String, in conversation: ConversationID, timeout: Duration) async throws {
        let key = Self.key(text, conversation)
        let id = UUID()
        let timer = Task {
            try await Task.sleep(for: timeout)
            self.abandon(id)
        }
        defer { timer.cancel() }
        let arrived = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let already = state.withLock { state in
                    if state.texts.contains(key) { return true }
                    state.waiters[id] = Waiter(key: key, continuation: continuation)
                    return false
                }
                if already { continuation.resume(returning: true) }
            }
        } onCancel: {
            self.abandon(id)
        }
        guard arrived else { throw BenchError.timedOut("waiting for '\(text)'") }
    }

    func stop() {
        consumer.withLock { $0?.cancel() }
        let waiting = state.withLock { state in
            defer { state.waiters.removeAll() }
            return state.waiters.values.map(\.continuation)
        }
        for continuation in waiting { continuation.resume(returning: false) }
    }
}

extension Duration {
    fileprivate var seconds: Double {
        let (whole, fraction) = components
        return Double(whole) + Double(fraction) / 1e18
    }
}
