import Foundation
import Testing
@testable import TacitClient

/// What `unreadCount` counts is what ``Messenger/unreadMessages(in:)`` returns, even when this
/// device wrote after the unread messages arrived.
@Suite struct UnreadMessagesTests {
    @Test(.timeLimit(.minutes(2)))
    func unreadMessagesSkipOwnLaterMessages() async throws {
        let server = try await InProcessServer.start()
        let alice = try await makeDevice("alice", on: server)
        let bob = try await makeDevice("bob", on: server)
        let group = try await alice.messenger.createGroup(name: "Unread", members: ["bob"])
        try await bob.waitForConversation(group)
        try await alice.messenger.send(text: "one", to: group)
        try await alice.messenger.send(text: "two", to: group)
        try await bob.waitForTexts(["one", "two"], in: group)
        // Bob writes twice without reading: his own messages are newer than the unread ones.
        try await bob.messenger.send(text: "mine 1", to: group)
        try await bob.messenger.send(text: "mine 2", to: group)
        #expect(try await bob.messenger.conversation(group).unreadCount == 2)
        #expect(try await bob.messenger.unreadMessages(in: group).map(\.text) == ["one", "two"])

        try await bob.messenger.markRead(group)
        #expect(try await bob.messenger.unreadMessages(in: group).isEmpty)
        for device in [alice, bob] { await device.shutDown() }
        await server.stop()
    }
}
