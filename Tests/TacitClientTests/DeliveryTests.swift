import Foundation
import Testing
@testable import TacitClient

/// Exactly once to the app, at least once from the server.
@Suite struct DeliveryTests {
    @Test func aRetryWithTheSameIDIsStoredAndDeliveredOnce() async throws {
        let server = try await InProcessServer.start()
        let alice = try await makeAccount("alice", on: server)
        let bob = try await makeAccount("bob", on: server)
        let bobDevice = try #require(await bob.deviceID)
        let inbox = Inbox(bob)

        let id = ClientMessageID.random()
        let first = try await alice.send(to: [bobDevice], body: Array("once".utf8), clientMessageID: id)
        let second = try await alice.send(to: [bobDevice], body: Array("once".utf8), clientMessageID: id)
        #expect(!first.duplicate && second.duplicate)
        try await alice.send(to: [bobDevice], body: Array("marker".utf8))

        let received = try await inbox.wait(for: 2)
        try await Task.sleep(for: .milliseconds(300))
        #expect(inbox.count == 2)
        #expect(received.map { String(decoding: $0.body, as: UTF8.self) } == ["once", "marker"])
        #expect(received[0].clientMessageID == id)
        #expect(received[0].senderUsername == "alice")
        #expect(received[0].senderDeviceID == (await alice.deviceID))

        await alice.close()
        await bob.close()
        await server.stop()
    }

    @Test func anUnacknowledgedMessageComesBackToTheNextClient() async throws {
        let server = try await InProcessServer.start()
        let alice = try await makeAccount("alice", on: server)
        let bob = try await makeAccount("bob", on: server)
        let bobDevice = try #require(await bob.deviceID)
        try await alice.send(to: [bobDevice], body: Array("keep me".utf8))

        let careless = Inbox(bob, acknowledge: false)
        try await careless.wait(for: 1)
        await bob.close()

        let restarted = try makeClient(home: bob.home)
        let inbox = Inbox(restarted)
        try await restarted.connect()
        let received = try await inbox.wait(for: 1)
        #expect(String(decoding: received[0].body, as: UTF8.self) == "keep me")

        await restarted.close()
        await alice.close()
        await server.stop()
    }

    /// The crash window: the app processed a message and the client recorded it, but the
    /// server never got the acknowledgement. The redelivery must not reach the app, and
    /// the client must acknowledge it so the server finally drops it.
    @Test func aProcessedMessageRedeliveredIsDroppedAndAcknowledged() async throws {
        let server = try await InProcessServer.start()
        let alice = try await makeAccount("alice", on: server)
        let bob = try await makeAccount("bob", on: server)
        let bobDevice = try #require(await bob.deviceID)
        try await alice.send(to: [bobDevice], body: Array("processed".utf8))

        let careless = Inbox(bob, acknowledge: false)
        let envelope = try await careless.wait(for: 1)[0]
        await bob.close()
        // Record it as processed the way acknowledge() does, without telling the server.
        try LocalStore(home: bob.home, deviceName: "test-device").markProcessed(envelope, now: Date())

        let second = try makeClient(home: bob.home)
        let secondInbox = Inbox(second)
        try await second.connect()
        #expect(try await second.waitForBacklog() == 0)
        try await second.flushAcknowledgements()
        try await Task.sleep(for: .milliseconds(200))
        #expect(secondInbox.count == 0)
        await second.close()

        // The server dropped it: a third client gets nothing, not even a duplicate to filter.
        let third = try makeClient(home: bob.home)
        try await third.connect()
        #expect(try await third.waitForBacklog() == 0)
        await third.close()
        await alice.close()
        await server.stop()
    }

    @Test func theBacklogIsCountedForReceiveCommands() async throws {
        let server = try await InProcessServer.start()
        let alice = try await makeAccount("alice", on: server)
        let bob = try makeClient("bob")
        let bobAccount = try await bob.register(username: "bob", server: try server.url)
        for index in 0..<5 { try await alice.send(to: [bobAccount.deviceID], body: Array("m\(index)".utf8)) }

        try await bob.connect()
        #expect(try await bob.waitForBacklog() == 5)
        let inbox = Inbox(bob)
        let received = try await inbox.wait(for: 5)
        #expect(received.map { String(decoding: $0.body, as: UTF8.self) } == (0..<5).map { "m\($0)" })
        try await bob.flushAcknowledgements()
        #expect(try await bob.processedMessageCount() == 5)
        await bob.close()
        await alice.close()
        await server.stop()
    }
}
