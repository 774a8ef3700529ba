import Foundation
import Logging
import Synchronization
import TacitMLS
import TacitServer
@testable import TacitClient

/// One device in a test: its client, its messenger, and everything the messenger reported.
final class TestDevice: Sendable {
    let client: TacitClient
    let messenger: Messenger
    let events: EventLog
    let home: ClientHome

    init(client: TacitClient, messenger: Messenger, home: ClientHome) async {
        self.client = client
        self.messenger = messenger
        self.home = home
        events = EventLog(await messenger.events())
    }

    var username: String { messenger.username }
    var deviceID: DeviceID { messenger.deviceID }

    /// Closes the messenger and the client (as when the app quits).
    func shutDown() async {
        await messenger.close()
        await client.close()
    }
}

/// Collects a messenger's events from one long-lived task.
final class EventLog: Sendable {
    private let received = Mutex<[MessengerEvent]>([])
    private let consumer = Mutex<Task<Void, Never>?>(nil)

    init(_ stream: AsyncStream<MessengerEvent>) {
        let task = Task { [self] in
            for await event in stream { self.received.withLock { $0.append(event) } }
        }
        consumer.withLock { $0 = task }
    }

    var all: [MessengerEvent] { received.withLock { $0 } }

    /// Texts of received messages, in arrival order.
    var receivedTexts: [String] {
        all.compactMap { event in
            if case .messageReceived(let message) = event { return message.text }
            return nil
        }
    }
}

/// Messenger options for tests: small KeyPackage batches, quick catch-up.
let testMessengerOptions: Messenger.Options = {
    var options = Messenger.Options()
    options.keyPackageBatch = 4
    options.keyPackageLowWatermark = 2
    options.catchUpTimeout = .seconds(20)
    options.sweepInterval = .milliseconds(200)
    return options
}()

/// Anything test clients can connect to.
protocol ServerEndpoint: Sendable {
    var url: ServerURL { get throws }
}

extension InProcessServer: ServerEndpoint {}

/// Registers `username` on `server`, starts a messenger for it.
func makeDevice(_ username: String, on server: some ServerEndpoint, home: ClientHome? = nil,
                options: Messenger.Options = testMessengerOptions, storeKey: StoreKey = .keyFile) async throws -> TestDevice {
    let home = home ?? ClientHome(directory: TemporaryDirectory.make(username))
    let client = try makeClient(username, home: home)
    try await client.register(username: username, server: server.url)
    return try await startDevice(client: client, home: home, options: options, storeKey: storeKey)
}

/// Links a new device to `existing`'s account and starts its messenger.
func linkDevice(to existing: TestDevice, on server: some ServerEndpoint,
                options: Messenger.Options = testMessengerOptions) async throws -> TestDevice {
    let home = ClientHome(directory: TemporaryDirectory.make(existing.username + "-2"))
    let client = try makeClient(existing.username + "-2", home: home)
    let code = try await existing.client.createLinkCode()
    try await client.link(code: code.code, server: server.url)
    _ = try await existing.client.waitForLink(code)
    return try await startDevice(client: client, home: home, options: options, storeKey: .keyFile)
}

/// Opens a messenger on an existing home again (a restarted app).
func reopenDevice(_ home: ClientHome, label: String, options: Messenger.Options = testMessengerOptions,
                  storeKey: StoreKey = .keyFile) async throws -> TestDevice {
    let client = try makeClient(label, home: home)
    return try await startDevice(client: client, home: home, options: options, storeKey: storeKey)
}

private func startDevice(client: TacitClient, home: ClientHome, options: Messenger.Options,
                         storeKey: StoreKey) async throws -> TestDevice {
    var logger = Logger(label: "test.messenger")
    logger.logLevel = .warning
    let messenger = try await Messenger(client: client, storeKey: storeKey, options: options, logger: logger)
    let device = await TestDevice(client: client, messenger: messenger, home: home)
    try await messenger.start()
    return device
}

/// Waits until `condition` holds, failing with ``TimedOut`` after `timeout` seconds.
func eventually(_ what: String, timeout: Double = 30,
                _ condition: @Sendable () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(timeout)
    while !(try await condition()) {
        guard ContinuousClock.now < deadline else { throw TimedOut(what: what) }
        try await Task.sleep(for: .milliseconds(20))
    }
}

extension TestDevice {
    /// The texts of the conversation's messages, oldest first.
    func texts(in id: ConversationID) async throws -> [String] {
        try await messenger.messages(in: id, limit: 10_000).map(\.text)
    }

    /// Waits until the conversation holds `texts` (in any order, at least these).
    func waitForTexts(_ texts: [String], in id: ConversationID, timeout: Double = 30) async throws {
        try await eventually("\(username)/\(deviceID) to read \(texts.count) messages", timeout: timeout) {
            guard (try? await self.messenger.conversation(id)) != nil else { return false }
            let have = Set(try await self.texts(in: id))
            return Set(texts).isSubset(of: have)
        }
    }

    /// Waits until this device is in the conversation at `epoch` or later.
    func waitForEpoch(_ epoch: UInt64, in id: ConversationID, timeout: Double = 30) async throws {
        try await eventually("\(username)/\(deviceID) to reach epoch \(epoch)", timeout: timeout) {
            guard let conversation = try? await self.messenger.conversation(id) else { return false }
            return conversation.epoch >= epoch
        }
    }

    /// Waits until this device has the conversation, active.
    func waitForConversation(_ id: ConversationID, timeout: Double = 30) async throws {
        try await eventually("\(username)/\(deviceID) to join \(id.shortDescription)", timeout: timeout) {
            (try? await self.messenger.conversation(id))?.status == .active
        }
    }

    func epoch(of id: ConversationID) async throws -> UInt64 {
        try await messenger.conversation(id).epoch
    }
}

/// Every file under `directory` (recursively) that contains `marker`.
func filesContaining(_ marker: String, under directory: URL) -> [String] {
    let needle = Data(marker.utf8)
    var hits: [String] = []
    guard let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) else { return [] }
    for case let url as URL in walker {
        guard let data = try? Data(contentsOf: url) else { continue }
        if data.range(of: needle) != nil { hits.append(url.path) }
    }
    return hits
}

/// A unique marker string for plaintext scans.
func uniqueMarker(_ label: String) -> String {
    "\(label)-MARKER-\(UUID().uuidString.replacingOccurrences(of: "-", with: ""))"
}
