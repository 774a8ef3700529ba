import Foundation
import Testing
import TacitClient
import TacitWire

@Suite struct AccountTests {
    @Test func registrationRecordsTheAccount() async throws {
        let server = try await InProcessServer.start()
        let client = try makeClient("alice")
        let account = try await client.register(username: "Alice", server: try server.url)
        #expect(account.username == "alice")
        #expect(await client.username == "alice")
        #expect(await client.deviceID == account.deviceID)
        #expect(await client.server == (try server.url))
        await #expect(throws: ClientError.alreadyRegistered(username: "alice")) {
            try await client.register(username: "alice2")
        }
        await client.close()

        // The account outlives the process.
        let reopened = try makeClient(home: client.home)
        #expect(await reopened.username == "alice")
        try await reopened.connect()
        let devices = try await reopened.devices()
        #expect(devices.deviceIDs == [account.deviceID])
        #expect(devices.devices.first?.identityKey == reopened.deviceKey)
        await reopened.close()
        await server.stop()
    }

    @Test func aTakenNameIsRefused() async throws {
        let server = try await InProcessServer.start()
        let first = try await makeAccount("dora", on: server)
        let second = try makeClient("dora2")
        let error = await #expect(throws: ClientError.self) {
            try await second.register(username: "DORA", server: try server.url)
        }
        guard case .server(let serverError)? = error else {
            Issue.record("expected a server error, got \(String(describing: error))")
            return
        }
        #expect(serverError.code == .conflict)
        #expect(await second.username == nil)
        await first.close()
        await second.close()
        await server.stop()
    }

    @Test func invalidNamesNeverReachTheServer() async throws {
        let client = try makeClient()
        await #expect(throws: ClientError.invalidUsername(.length(2))) {
            try await client.register(username: "ab", server: ServerURL("ws://127.0.0.1:1"))
        }
        await #expect(throws: ClientError.invalidUsername(.reserved("admin"))) {
            try await client.register(username: "admin", server: ServerURL("ws://127.0.0.1:1"))
        }
        await #expect(throws: ClientError.notRegistered) { try await client.connect() }
        await client.close()
    }

    @Test func linkingAddsASecondDeviceThatLookupsSee() async throws {
        let server = try await InProcessServer.start()
        let laptop = try await makeAccount("erin", on: server)
        let phone = try makeClient("phone")

        let code = try await laptop.createLinkCode()
        #expect(code.expires > Date())
        async let linked = phone.link(code: code.code, server: try server.url)
        let approved = try await laptop.waitForLink(code)
        let account = try await linked
        #expect(account.username == "erin" && approved.id == account.deviceID)
        #expect(approved.identityKey == phone.deviceKey)
        #expect(await phone.pinnedServerKey == server.serverKey)

        try await phone.connect()
        let fromPhone = try await phone.devices()
        #expect(fromPhone.version == 2)
        #expect(Set(fromPhone.deviceIDs) == [await laptop.deviceID!, account.deviceID])

        let frank = try await makeAccount("frank", on: server)
        let erin = try await frank.lookup(username: "ERIN")
        #expect(Set(erin.devices.map(\.identityKey)) == [laptop.deviceKey, phone.deviceKey])
        await #expect(throws: ClientError.self) { try await frank.lookup(username: "nobody_here") }

        // Revoking shrinks the list; a device cannot revoke itself.
        await #expect(throws: ClientError.cannotRevokeSelf) { try await phone.revoke(deviceID: account.deviceID) }
        try await laptop.revoke(deviceID: account.deviceID)
        let after = try await frank.lookup(username: "erin")
        #expect(after.deviceIDs == [await laptop.deviceID!])
        #expect(after.version == 3)

        await frank.close()
        await phone.close()
        await laptop.close()
        await server.stop()
    }

    @Test func aWrongLinkCodeFails() async throws {
        let server = try await InProcessServer.start()
        let phone = try makeClient("phone")
        await #expect(throws: ClientError.self) { try await phone.link(code: "2222-3333-4444", server: try server.url) }
        #expect(await phone.username == nil)
        await phone.close()
        await server.stop()
    }
}
