import Foundation
import Testing
import TacitClient

@Suite struct ReconnectTests {
    @Test func clientsReconnectAfterAServerRestartOnTheSameDataDirectory() async throws {
        let server = try await InProcessServer.start()
        let alice = try await makeAccount("alice", on: server)
        let bob = try await makeAccount("bob", on: server)
        let bobDevice = try #require(await bob.deviceID)
        let inbox = Inbox(bob)

        try await alice.send(to: [bobDevice], body: Array("before".utf8))
        try await inbox.wait(for: 1)

        await server.stop()
        // While the server is down, a send waits and retries instead of failing.
        let pending = Task { try await alice.send(to: [bobDevice], body: Array("during".utf8)) }
        // The client notices the closed socket (polled: the machine may be busy).
        for _ in 0..<200 where await alice.isConnected {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(await !alice.isConnected)
        try await server.restart()

        let receipt = try await pending.value
        #expect(!receipt.duplicate)
        try await alice.send(to: [bobDevice], body: Array("after".utf8))
        let received = try await inbox.wait(for: 3)
        #expect(received.map { String(decoding: $0.body, as: UTF8.self) } == ["before", "during", "after"])
        #expect(await alice.isConnected)
        #expect(await bob.isConnected)

        await alice.close()
        await bob.close()
        await server.stop()
    }

    @Test func connectFailsForARevokedDeviceWithoutRetrying() async throws {
        let server = try await InProcessServer.start()
        let laptop = try await makeAccount("carol", on: server)
        let phone = try makeClient("phone")
        let code = try await laptop.createLinkCode()
        async let linked = phone.link(code: code.code, server: try server.url)
        _ = try await laptop.waitForLink(code)
        let account = try await linked
        try await phone.connect()

        try await laptop.revoke(deviceID: account.deviceID)
        // The revoked device's connection ends; it does not come back.
        let deadline = ContinuousClock.now + .seconds(10)
        while await phone.isConnected, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        await #expect(throws: ClientError.self) { try await phone.send(to: [1], body: [1]) }
        await phone.close()
        await laptop.close()
        await server.stop()
    }
}
