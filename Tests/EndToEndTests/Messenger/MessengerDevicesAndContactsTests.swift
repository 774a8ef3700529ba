import Foundation
import Testing
import TacitMLS
@testable import TacitClient

/// Linking and revoking devices, contacts, blocks, timers, and a large group.
@Suite(.serialized) struct MessengerDevicesAndContactsTests {
    @Test(.timeLimit(.minutes(2)))
    func linkedDeviceIsAddedEverywhereAndRevokedDeviceReadsNothingAfter() async throws {
        let server = try await InProcessServer.start()
        let alice = try await makeDevice("alice", on: server)
        let bob = try await makeDevice("bob", on: server)
        let one = try await alice.messenger.createGroup(name: "One", members: ["bob"])
        let two = try await bob.messenger.createGroup(name: "Two", members: ["alice"])
        try await bob.waitForConversation(one)
        try await alice.waitForConversation(two)

        // A new device of alice's announces itself; alice's first device adds it to both.
        let alice2 = try await linkDevice(to: alice, on: server)
        try await alice2.waitForConversation(one)
        try await alice2.waitForConversation(two)
        try await bob.messenger.send(text: "hi both alices", to: two)
        try await alice2.waitForTexts(["hi both alices"], in: two)
        try await alice.waitForTexts(["hi both alices"], in: two)
        try await alice2.messenger.send(text: "from the new device", to: one)
        try await bob.waitForTexts(["from the new device"], in: one)

        // Alice revokes it: it leaves both groups and cannot read what follows.
        let tap = ConversationEndToEndTests.Tap()
        await bob.messenger.setMessageTap { tap.record($0) }
        let oldState = try #require(await alice2.messenger.groupState(one))
        try await alice.messenger.revokeDevice(alice2.deviceID)
        let epoch = try await alice.epoch(of: one)
        try await bob.waitForEpoch(epoch, in: one)
        for id in [one, two] {
            let state = try #require(await alice.messenger.groupState(id))
            #expect(!MemberRoster(group: state).contains(device: alice2.deviceID))
        }
        try await alice.messenger.send(text: "after revoke", to: one)
        try await bob.waitForTexts(["after revoke"], in: one)
        let application = tap.all.filter { message in
            if case .privateMessage(let inner) = message.body { return inner.contentType == .application }
            return false
        }
        #expect(!application.isEmpty)
        for message in application {
            var copy = oldState
            #expect(throws: MLSGroupError.self) { _ = try copy.process(message) }
        }
        for device in [alice, bob] { await device.shutDown() }
        await alice2.shutDown()
        await server.stop()
    }

    @Test(.timeLimit(.minutes(2)))
    func contactsInvitesDeclinesAndBlocks() async throws {
        let server = try await InProcessServer.start()
        let alice = try await makeDevice("alice", on: server)
        let bob = try await makeDevice("bob", on: server)
        let carol = try await makeDevice("carol", on: server)

        // An invite link is accepted without asking.
        let invite = try await alice.messenger.createInvite()
        let parsed = try ContactInvite(parsing: invite.description)
        #expect(parsed == invite)
        try await alice.messenger.setProfile(Profile(displayName: "Alice A."))
        try await bob.messenger.setProfile(Profile(displayName: "Bob B."))
        try await bob.messenger.requestContact(invite: invite.description)
        try await eventually("the invite to be accepted") {
            let bobSees = await bob.messenger.contact("alice")?.state
            let aliceSees = await alice.messenger.contact("bob")?.state
            return bobSees == .accepted && aliceSees == .accepted
        }
        try await eventually("profiles to be shared") {
            let bobSees = await bob.messenger.contact("alice")?.displayName
            let aliceSees = await alice.messenger.contact("bob")?.displayName
            return bobSees == "Alice A." && aliceSees == "Bob B."
        }

        // A declined request closes the conversation on both sides.
        let request = try await carol.messenger.requestContact("alice")
        try await eventually("alice to see carol's request") { await alice.messenger.contact("carol")?.state == .incomingRequest }
        #expect(alice.events.all.contains { if case .contactRequest(let c) = $0 { c.username == "carol" } else { false } })
        try await alice.messenger.declineContact("carol")
        try await eventually("carol to see the decline") { await carol.messenger.contact("alice")?.state == .declined }
        #expect(try await carol.messenger.conversation(request).status == .closed)
        #expect((await alice.messenger.contact("carol"))?.profile == nil)

        // Blocking: nothing from the blocked account reaches the app.
        let group = try await carol.messenger.createGroup(name: "With bob", members: ["bob", "alice"])
        try await bob.waitForConversation(group)
        try await bob.messenger.block("carol")
        try await carol.messenger.send(text: "can you hear me", to: group)
        try await alice.messenger.send(text: "alice speaking", to: group)
        try await bob.waitForTexts(["alice speaking"], in: group)
        #expect(!(try await bob.texts(in: group)).contains("can you hear me"))
        let blockedRequest = try? await carol.messenger.requestContact("bob")
        try await Task.sleep(for: .milliseconds(500))
        if let blockedRequest {
            #expect((try? await bob.messenger.conversation(blockedRequest)) == nil)
        }
        #expect(await bob.messenger.contact("carol")?.state == .blocked)
        for device in [alice, bob, carol] { await device.shutDown() }
        await server.stop()
    }

    @Test(.timeLimit(.minutes(2)))
    func disappearingMessagesAreDeletedAfterTheTimer() async throws {
        let server = try await InProcessServer.start()
        let alice = try await makeDevice("alice", on: server)
        let bob = try await makeDevice("bob", on: server)
        let group = try await alice.messenger.createGroup(name: "Ephemeral", members: ["bob"])
        try await bob.waitForConversation(group)
        try await alice.messenger.setDisappearingTimer(group, to: .seconds(1))
        try await eventually("bob to learn the timer") {
            (try? await bob.messenger.conversation(group))?.metadata.disappearingAfter == .seconds(1)
        }
        try await alice.messenger.send(text: "gone soon", to: group)
        try await bob.waitForTexts(["gone soon"], in: group)
        try await eventually("the message to disappear on both") {
            let aliceTexts = try await alice.texts(in: group)
            let bobTexts = try await bob.texts(in: group)
            return aliceTexts.isEmpty && bobTexts.isEmpty
        }
        for device in [alice, bob] { await device.shutDown() }
        await server.stop()
    }

    @Test(.timeLimit(.minutes(3)))
    func twoHundredMemberGroup() async throws {
        let server = try await InProcessServer.start()
        let count = 200
        var options = testMessengerOptions
        options.keyPackageBatch = 1
        let owner = try await makeDevice("owner", on: server, options: options)
        // Every member registers and publishes its KeyPackages, then goes offline.
        var homes: [(String, ClientHome)] = []
        for index in 1..<count {
            let name = "member\(index)"
            let device = try await makeDevice(name, on: server, options: options)
            homes.append((name, device.home))
            await device.shutDown()
        }
        let started = ContinuousClock.now
        let group = try await owner.messenger.createGroup(name: "Big", members: homes.map(\.0))
        #expect(try await owner.messenger.conversation(group).members.count == count)
        try await owner.messenger.send(text: "hello everyone", to: group)
        let elapsed = ContinuousClock.now - started
        // A few members come online, join from their Welcome and read.
        for (name, home) in [homes[0], homes[homes.count / 2], homes[homes.count - 1]] {
            let member = try await reopenDevice(home, label: name, options: options)
            try await member.waitForConversation(group, timeout: 60)
            try await member.waitForTexts(["hello everyone"], in: group, timeout: 60)
            try await member.messenger.send(text: "\(name) here", to: group)
            try await owner.waitForTexts(["\(name) here"], in: group)
            await member.shutDown()
        }
        print("200-member group: created and first message sent in \(elapsed)")
        await owner.shutDown()
        await server.stop()
    }
}
