import Testing
@testable import TacitClient

@Suite struct ContactInviteTests {
    @Test func printsAndParses() throws {
        let invite = ContactInvite(server: "chat.example.org:8443", username: "alice", token: "0123456789abcdef0123456789abcdef")
        #expect(invite.description == "tacit://contact/chat.example.org:8443/alice?t=0123456789abcdef0123456789abcdef")
        #expect(try ContactInvite(parsing: "  " + invite.description + "\n") == invite)
    }

    @Test(arguments: [
        "https://contact/host/alice?t=0123456789abcdef",
        "tacit://user/host/alice?t=0123456789abcdef",
        "tacit://contact/host?t=0123456789abcdef",
        "tacit://contact/host/alice",
        "tacit://contact/host/alice?t=short",
        "tacit://contact/host/alice?t=0123456789abcdef!!",
        "not a link",
    ])
    func rejects(_ text: String) {
        #expect(throws: MessengerError.self) { try ContactInvite(parsing: text) }
    }

    @Test func hostKeepsThePort() {
        #expect(Messenger.host(of: "ws://127.0.0.1:8080") == "127.0.0.1:8080")
        #expect(Messenger.host(of: "wss://chat.example.org") == "chat.example.org")
    }
}
