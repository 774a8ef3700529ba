import Foundation
import Testing
@testable import TacitClient

@Suite struct LocalStoreTests {
    func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as? Int ?? -1) & 0o777
    }

    @Test func filesAreOnlyForTheOwner() throws {
        let home = ClientHome(directory: TemporaryDirectory.make("home").appendingPathComponent("nested"))
        _ = try LocalStore(home: home, deviceName: "d")
        #expect(try mode(home.directory.path) == 0o700)
        #expect(try mode(home.databaseURL.path) == 0o600)
        for suffix in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: home.databaseURL.path + suffix) {
            #expect(try mode(home.databaseURL.path + suffix) == 0o600)
        }
    }

    @Test func theDeviceKeyIsMadeOnceAndKept() throws {
        let home = ClientHome(directory: TemporaryDirectory.make("home"))
        let first = try LocalStore(home: home, deviceName: "laptop").load()
        let again = try LocalStore(home: home, deviceName: "other name").load()
        #expect(first.identity.publicKey == again.identity.publicKey)
        #expect(again.deviceName == "laptop")
        #expect(again.account == nil && again.server == nil && again.serverKey == nil)
    }

    @Test func accountAndPinSurviveReopening() throws {
        let home = ClientHome(directory: TemporaryDirectory.make("home"))
        let store = try LocalStore(home: home, deviceName: "d")
        let server = try ServerURL("ws://127.0.0.1:9")
        try store.pinServer(server, key: Array(repeating: 7, count: 32))
        try store.saveAccount(LocalAccount(username: "alice", deviceID: 12))
        let state = try LocalStore(home: home, deviceName: "d").load()
        #expect(state.account == LocalAccount(username: "alice", deviceID: 12))
        #expect(state.server == server)
        #expect(state.serverKey == Array(repeating: 7, count: 32))
        try store.forgetServerKey()
        #expect(try store.load().serverKey == nil)
    }

    @Test func processedMessagesArePersistedPerSender() throws {
        let home = ClientHome(directory: TemporaryDirectory.make("home"))
        let store = try LocalStore(home: home, deviceName: "d")
        let id = ClientMessageID.random()
        let envelope = IncomingEnvelope(queueID: 5, senderDeviceID: 3, senderUsername: "bob", clientMessageID: id,
                                        serverTime: Date(), body: [1])
        #expect(try !store.isProcessed(sender: 3, clientMessageID: id))
        try store.markProcessed(envelope, now: Date())
        try store.markProcessed(envelope, now: Date())
        let reopened = try LocalStore(home: home, deviceName: "d")
        #expect(try reopened.isProcessed(sender: 3, clientMessageID: id))
        // The same id from another sender is another message.
        #expect(try !reopened.isProcessed(sender: 4, clientMessageID: id))
        #expect(try reopened.processedCount() == 1)
    }

    @Test func oldRecordsArePruned() throws {
        let store = try LocalStore(home: ClientHome(directory: TemporaryDirectory.make("home")), deviceName: "d")
        let old = IncomingEnvelope(queueID: 1, senderDeviceID: 1, senderUsername: "a", clientMessageID: .random(),
                                   serverTime: Date(), body: [1])
        let recent = IncomingEnvelope(queueID: 2, senderDeviceID: 1, senderUsername: "a", clientMessageID: .random(),
                                      serverTime: Date(), body: [1])
        try store.markProcessed(old, now: Date(timeIntervalSinceNow: -100 * 24 * 3600))
        try store.markProcessed(recent, now: Date())
        try store.pruneProcessed(before: Date(timeIntervalSinceNow: -45 * 24 * 3600))
        #expect(try store.processedCount() == 1)
        #expect(try store.isProcessed(sender: 1, clientMessageID: recent.clientMessageID))
    }

    @Test func aDamagedKeyIsReportedNotTrusted() throws {
        #expect(throws: ClientError.self) { try DeviceIdentity(privateKeyBytes: [UInt8](repeating: 1, count: 5)) }
    }
}
