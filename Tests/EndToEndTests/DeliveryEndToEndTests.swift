import Foundation
import Testing
import TacitClient
import TacitServer

/// A real server and real SDK clients, each with its own home and SQLite file.
@Suite struct DeliveryEndToEndTests {
    @Test func onlineDelivery() async throws {
        let server = try await InProcessServer.start()
        let alice = try await makeAccount("alice", on: server)
        let bob = try await makeAccount("bob", on: server)
        let inbox = Inbox(bob)

        let bobDevices = try await alice.lookup(username: "bob").deviceIDs
        try await alice.send(to: bobDevices, body: Array("hello bob".utf8))
        let received = try await inbox.wait(for: 1)
        #expect(String(decoding: received[0].body, as: UTF8.self) == "hello bob")
        #expect(received[0].senderUsername == "alice")

        await alice.close()
        await bob.close()
        await server.stop()
    }

    @Test func offlineDeliveryAfterReconnect() async throws {
        let server = try await InProcessServer.start()
        let alice = try await makeAccount("alice", on: server)
        let bob = try await makeAccount("bob", on: server)
        let bobDevice = try #require(await bob.deviceID)
        await bob.close()

        for text in ["one", "two", "three"] { try await alice.send(to: [bobDevice], body: Array(text.utf8)) }

        let bobAgain = try makeClient(home: bob.home)
        let inbox = Inbox(bobAgain)
        try await bobAgain.connect()
        #expect(try await bobAgain.waitForBacklog() == 3)
        let received = try await inbox.wait(for: 3)
        #expect(received.map { String(decoding: $0.body, as: UTF8.self) } == ["one", "two", "three"])

        await bobAgain.close()
        await alice.close()
        await server.stop()
    }

    @Test func multiDeviceFanOut() async throws {
        let server = try await InProcessServer.start()
        let alice = try await makeAccount("alice", on: server)
        let laptop = try await makeAccount("bob", on: server)
        let phone = try makeClient("bob-phone")
        let code = try await laptop.createLinkCode()
        async let linked = phone.link(code: code.code, server: try server.url)
        _ = try await laptop.waitForLink(code)
        _ = try await linked
        try await phone.connect()
        let laptopInbox = Inbox(laptop)
        let phoneInbox = Inbox(phone)

        let bob = try await alice.lookup(username: "bob")
        #expect(bob.devices.count == 2)
        try await alice.send(to: bob.deviceIDs, body: Array("to all of bob".utf8))
        let onLaptop = try await laptopInbox.wait(for: 1)
        let onPhone = try await phoneInbox.wait(for: 1)
        #expect(onLaptop[0].body == onPhone[0].body)
        #expect(onLaptop[0].clientMessageID == onPhone[0].clientMessageID)

        // A device's own other devices are ordinary recipients.
        try await laptop.send(to: [await phone.deviceID!], body: Array("note to self".utf8))
        let note = try await phoneInbox.wait(for: 2)
        #expect(String(decoding: note[1].body, as: UTF8.self) == "note to self")
        #expect(note[1].senderUsername == "bob")

        await phone.close()
        await laptop.close()
        await alice.close()
        await server.stop()
    }

    @Test func idempotentRetryAcrossAServerRestart() async throws {
        let server = try await InProcessServer.start()
        let alice = try await makeAccount("alice", on: server)
        let bob = try await makeAccount("bob", on: server)
        let bobDevice = try #require(await bob.deviceID)
        let inbox = Inbox(bob)

        let id = ClientMessageID.random()
        let first = try await alice.send(to: [bobDevice], body: Array("exactly once".utf8), clientMessageID: id)
        try await server.restart()
        // The answer was "lost"; the app retries with the same id after the restart.
        let retry = try await alice.send(to: [bobDevice], body: Array("exactly once".utf8), clientMessageID: id)
        #expect(!first.duplicate && retry.duplicate)
        try await alice.send(to: [bobDevice], body: Array("later".utf8))

        let received = try await inbox.wait(for: 2)
        try await Task.sleep(for: .milliseconds(300))
        #expect(inbox.count == 2)
        #expect(received.map { String(decoding: $0.body, as: UTF8.self) } == ["exactly once", "later"])

        await alice.close()
        await bob.close()
        await server.stop()
    }

    @Test func aThousandMessagesArriveInOrder() async throws {
        let server = try await InProcessServer.start()
        let alice = try await makeAccount("alice", on: server)
        let carol = try await makeAccount("carol", on: server)
        let bob = try await makeAccount("bob", on: server)
        let bobDevice = try #require(await bob.deviceID)
        let inbox = Inbox(bob)
        let count = 1000

        // Two senders at once: each one's order must hold, however they interleave.
        async let fromAlice: Void = {
            for index in 0..<count { try await alice.send(to: [bobDevice], body: Array("alice \(index)".utf8)) }
        }()
        async let fromCarol: Void = {
            for index in 0..<100 { try await carol.send(to: [bobDevice], body: Array("carol \(index)".utf8)) }
        }()
        try await fromAlice
        try await fromCarol

        let received = try await inbox.wait(for: count + 100, timeout: 120)
        let texts = received.map { String(decoding: $0.body, as: UTF8.self) }
        #expect(texts.filter { $0.hasPrefix("alice ") } == (0..<count).map { "alice \($0)" })
        #expect(texts.filter { $0.hasPrefix("carol ") } == (0..<100).map { "carol \($0)" })
        let queueIDs = received.map(\.queueID)
        #expect(queueIDs == queueIDs.sorted())

        await alice.close()
        await carol.close()
        await bob.close()
        await server.stop()
    }

    @Test func unacknowledgedMessagesExpire() async throws {
        let server = try await InProcessServer.start { configuration in
            configuration.queueExpiry = .seconds(1)
            configuration.maintenanceInterval = .milliseconds(100)
        }
        let alice = try await makeAccount("alice", on: server)
        let bob = try await makeAccount("bob", on: server)
        let bobDevice = try #require(await bob.deviceID)
        await bob.close()

        try await alice.send(to: [bobDevice], body: Array("too late".utf8))
        try await Task.sleep(for: .milliseconds(2500))

        // Bob comes back after the expiry: the old message is gone, and what is sent now
        // (while he is online, so no clock race with the 1 s expiry) still arrives.
        let bobAgain = try makeClient(home: bob.home)
        let inbox = Inbox(bobAgain)
        try await bobAgain.connect()
        #expect(try await bobAgain.waitForBacklog() == 0)
        try await alice.send(to: [bobDevice], body: Array("fresh".utf8))
        let received = try await inbox.wait(for: 1)
        #expect(String(decoding: received[0].body, as: UTF8.self) == "fresh")

        await bobAgain.close()
        await alice.close()
        await server.stop()
    }
}
