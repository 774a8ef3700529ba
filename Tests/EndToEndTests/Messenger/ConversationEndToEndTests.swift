import Foundation
import Synchronization
import Testing
import TacitMLS
@testable import TacitClient

/// Real server, real clients, real SQLite files: conversations between three accounts with
/// two devices each.
@Suite(.serialized) struct ConversationEndToEndTests {
    /// MLS messages a device saw, for feeding them to a removed member's old group state.
    final class Tap: Sendable {
        private let messages = Mutex<[MLSMessage]>([])
        func record(_ message: MLSMessage) { messages.withLock { $0.append(message) } }
        var all: [MLSMessage] { messages.withLock { $0 } }
    }

    @Test(.timeLimit(.minutes(3)))
    func threeAccountsWithTwoDevicesChatDirectAndInGroups() async throws {
        let server = try await InProcessServer.start()
        let alice = try await makeDevice("alice", on: server)
        let bob = try await makeDevice("bob", on: server)
        let carol = try await makeDevice("carol", on: server)
        let alice2 = try await linkDevice(to: alice, on: server)
        let bob2 = try await linkDevice(to: bob, on: server)
        let carol2 = try await linkDevice(to: carol, on: server)
        let everyone = [alice, alice2, bob, bob2, carol, carol2]

        // A direct conversation opened as a contact request, accepted on bob's second device.
        let direct = try await alice.messenger.requestContact("bob", note: "hi, it's alice")
        try await bob2.waitForConversation(direct)
        try await eventually("bob2 to see the request") { await bob2.messenger.contact("alice")?.state == .incomingRequest }
        try await bob2.messenger.acceptContact("alice")
        try await eventually("alice to see the acceptance") { await alice.messenger.contact("bob")?.state == .accepted }
        try await eventually("bob's first device to see the acceptance") { await bob.messenger.contact("alice")?.state == .accepted }
        try await alice.messenger.send(text: "hello bob", to: direct)
        try await bob.messenger.send(text: "hello alice", to: direct)
        for device in [alice, alice2, bob, bob2] {
            try await device.waitForTexts(["hello bob", "hello alice"], in: direct)
        }
        #expect((try? await carol.messenger.conversation(direct)) == nil, "carol is not in it")

        // A group of all three; every device of every account reads every message.
        let group = try await carol2.messenger.createGroup(name: "Trip", members: ["alice", "bob"])
        for device in everyone { try await device.waitForConversation(group) }
        #expect(try await alice.messenger.conversation(group).title == "Trip")
        try await alice2.messenger.send(text: "from alice2", to: group)
        try await bob.messenger.send(text: "from bob", to: group)
        try await carol.messenger.send(text: "from carol", to: group)
        for device in everyone {
            try await device.waitForTexts(["from alice2", "from bob", "from carol"], in: group)
        }
        let members = try await bob2.messenger.conversation(group).members
        #expect(members == ["alice", "bob", "carol"])

        // Remove bob: both his devices learn it, and neither can read what is sent after.
        let tap = Tap()
        await alice.messenger.setMessageTap { tap.record($0) }
        try await carol.messenger.removeMembers(["bob"], from: group)
        for device in [bob, bob2] {
            try await eventually("bob's device to be removed") {
                (try? await device.messenger.conversation(group))?.status == .removed
            }
        }
        // The removed device may already have dropped the group from memory; when it still
        // holds the old state, that state must not open what is sent after.
        let bobsOldGroup = await bob.messenger.groupState(group)
        try await carol.messenger.send(text: "after bob left", to: group)
        try await alice.waitForTexts(["after bob left"], in: group)
        try await alice2.waitForTexts(["after bob left"], in: group)
        let later = tap.all.filter { message in
            if case .privateMessage(let inner) = message.body { return inner.contentType == .application }
            return false
        }
        #expect(!later.isEmpty)
        if let bobsOldGroup {
            for message in later {
                var copy = bobsOldGroup
                #expect(throws: MLSGroupError.self) { _ = try copy.process(message) }
            }
        }
        #expect(!(try await bob.texts(in: group)).contains("after bob left"))
        #expect(try await alice.messenger.conversation(group).members == ["alice", "carol"])

        // Add him back: all his devices again.
        try await alice.messenger.addMembers(["bob"], to: group)
        for device in [bob, bob2] { try await device.waitForConversation(group) }
        try await bob2.messenger.send(text: "back again", to: group)
        for device in everyone { try await device.waitForTexts(["back again"], in: group) }

        for device in everyone { await device.shutDown() }
        await server.stop()
    }

    @Test(.timeLimit(.minutes(2)))
    func concurrentCommitsConvergeAndLoseNothing() async throws {
        let server = try await InProcessServer.start()
        let alice = try await makeDevice("alice", on: server)
        let bob = try await makeDevice("bob", on: server)
        let carol = try await makeDevice("carol", on: server)
        let dave = try await makeDevice("dave", on: server)
        let erin = try await makeDevice("erin", on: server)
        let group = try await alice.messenger.createGroup(name: "Race", members: ["bob", "carol"])
        try await bob.waitForConversation(group)
        try await carol.waitForConversation(group)

        // Alice and bob commit at the same moment; carol keeps talking meanwhile.
        async let first: Void = alice.messenger.addMembers(["dave"], to: group)
        async let second: Void = bob.messenger.addMembers(["erin"], to: group)
        async let chatter: Void = {
            for index in 0..<5 { try await carol.messenger.send(text: "carol \(index)", to: group) }
        }()
        _ = try await (first, second, chatter)

        let all = [alice, bob, carol, dave, erin]
        for device in [dave, erin] { try await device.waitForConversation(group) }
        let epoch = max(try await alice.epoch(of: group), try await bob.epoch(of: group))
        for device in all { try await device.waitForEpoch(epoch, in: group) }
        let epochs = try await all.asyncMap { try await $0.epoch(of: group) }
        #expect(Set(epochs).count == 1, "all members share one epoch: \(epochs)")
        let authenticators = await all.asyncMap { await $0.messenger.groupState(group)?.epochAuthenticator }
        #expect(Set(authenticators.compactMap { $0 }).count == 1)
        let texts = (0..<5).map { "carol \($0)" }
        for device in [alice, bob] { try await device.waitForTexts(texts, in: group) }
        for device in all {
            #expect(try await device.messenger.conversation(group).members == ["alice", "bob", "carol", "dave", "erin"])
        }
        try await dave.messenger.send(text: "dave here", to: group)
        for device in all { try await device.waitForTexts(["dave here"], in: group) }
        for device in all { await device.shutDown() }
        await server.stop()
    }
}

extension Array {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
