import Foundation
import Testing
import TacitMLS
@testable import TacitClient

/// Offline members, restarts, and what the server and the disk may hold.
@Suite(.serialized) struct MessengerDurabilityTests {
    @Test(.timeLimit(.minutes(3)))
    func memberOfflineThroughFiftyEpochsCatchesUpAndReadsEverything() async throws {
        let server = try await InProcessServer.start()
        let alice = try await makeDevice("alice", on: server)
        let bob = try await makeDevice("bob", on: server)
        let carol = try await makeDevice("carol", on: server)
        let group = try await alice.messenger.createGroup(name: "start", members: ["bob", "carol"])
        try await carol.waitForConversation(group)
        try await bob.waitForConversation(group)
        let carolHome = carol.home
        await carol.shutDown()

        var texts: [String] = []
        for index in 1...50 {
            // Alternate committers without waiting: a Commit that loses its epoch is redone.
            let committer = index.isMultiple(of: 2) ? alice : bob
            try await committer.messenger.rename(group, to: "name \(index)")
            let text = "message \(index)"
            try await committer.messenger.send(text: text, to: group)
            texts.append(text)
        }
        try await bob.waitForEpoch(try await alice.epoch(of: group), in: group)
        try await alice.waitForEpoch(try await bob.epoch(of: group), in: group)
        let finalEpoch = try await alice.epoch(of: group)
        #expect(finalEpoch >= 51)

        let carolAgain = try await reopenDevice(carolHome, label: "carol")
        try await carolAgain.waitForEpoch(finalEpoch, in: group, timeout: 60)
        try await carolAgain.waitForTexts(texts, in: group, timeout: 60)
        let conversation = try await carolAgain.messenger.conversation(group)
        #expect(conversation.title == "name 50")
        #expect(try await carolAgain.texts(in: group) == texts)
        try await carolAgain.messenger.send(text: "I'm back", to: group)
        try await alice.waitForTexts(["I'm back"], in: group)
        for device in [alice, bob, carolAgain] { await device.shutDown() }
        await server.stop()
    }

    @Test(.timeLimit(.minutes(2)))
    func serverAndClientsRestartMidConversation() async throws {
        let server = try await InProcessServer.start()
        let alice = try await makeDevice("alice", on: server)
        let bob = try await makeDevice("bob", on: server)
        let group = try await alice.messenger.createGroup(name: "Durable", members: ["bob"])
        try await bob.waitForConversation(group)
        try await alice.messenger.send(text: "before restart", to: group)
        try await bob.waitForTexts(["before restart"], in: group)
        let (aliceHome, bobHome) = (alice.home, bob.home)
        await alice.shutDown()
        await bob.shutDown()
        try await server.restart()

        let alice2 = try await reopenDevice(aliceHome, label: "alice")
        let bob2 = try await reopenDevice(bobHome, label: "bob")
        #expect(try await alice2.texts(in: group) == ["before restart"])
        #expect(try await bob2.messenger.conversation(group).title == "Durable")
        try await bob2.messenger.send(text: "after restart", to: group)
        try await alice2.messenger.rename(group, to: "Still durable")
        try await alice2.waitForTexts(["after restart"], in: group)
        try await eventually("bob to see the rename") {
            (try? await bob2.messenger.conversation(group))?.title == "Still durable"
        }
        #expect(try await bob2.texts(in: group) == ["before restart", "after restart"])
        for device in [alice2, bob2] { await device.shutDown() }
        await server.stop()
    }

    @Test(.timeLimit(.minutes(2)))
    func noPlaintextOnTheServerOrOnClientDisks() async throws {
        let server = try await CapturedServer()
        let text = uniqueMarker("text")
        let name = uniqueMarker("name")
        let profileName = uniqueMarker("profile")
        let alice = try await makeDevice("alice", on: server)
        let bob = try await makeDevice("bob", on: server, storeKey: .passphrase("correct horse battery staple"))
        try await alice.messenger.setProfile(Profile(displayName: profileName))
        let direct = try await alice.messenger.requestContact("bob")
        try await eventually("bob to see the request") { await bob.messenger.contact("alice")?.state == .incomingRequest }
        try await bob.messenger.acceptContact("alice")
        try await eventually("bob to get alice's profile") {
            await bob.messenger.contact("alice")?.profile?.displayName == profileName
        }
        let group = try await alice.messenger.createGroup(name: name, members: ["bob"])
        try await bob.waitForConversation(group)
        try await alice.messenger.send(text: text, to: group)
        try await alice.messenger.send(text: text + " direct", to: direct)
        try await bob.waitForTexts([text], in: group)
        try await bob.waitForTexts([text + " direct"], in: direct)
        #expect(try await bob.messenger.conversation(group).title == name)

        for marker in [text, name, profileName] {
            #expect(filesContaining(marker, under: server.dataDirectory).isEmpty, "server data holds \(marker)")
            #expect(!server.logs.all.contains { $0.contains(marker) }, "server logs hold \(marker)")
            for device in [alice, bob] {
                #expect(filesContaining(marker, under: device.home.directory).isEmpty,
                        "\(device.username)'s home holds \(marker) in the clear")
            }
        }
        #expect(!server.logs.all.isEmpty, "the capture works")
        for device in [alice, bob] { await device.shutDown() }

        // The passphrase is needed to open bob's store again.
        let wrong = try makeClient("bob", home: bob.home)
        await #expect(throws: MessengerError.self) {
            _ = try await Messenger(client: wrong, storeKey: .passphrase("wrong"))
        }
        await wrong.close()
        await server.stop()
    }

    @Test(.timeLimit(.minutes(2)))
    func duplicatesReachTheAppOnce() async throws {
        let server = try await InProcessServer.start()
        let alice = try await makeDevice("alice", on: server)
        let bob = try await makeDevice("bob", on: server)
        let group = try await alice.messenger.createGroup(name: "Dups", members: ["bob"])
        try await bob.waitForConversation(group)
        let tap = ConversationEndToEndTests.Tap()
        await bob.messenger.setMessageTap { tap.record($0) }
        try await alice.messenger.send(text: "once", to: group)
        try await bob.waitForTexts(["once"], in: group)
        let captured = try #require(tap.all.last)
        // The same ciphertext again, as a new delivery: MLS refuses the replay.
        try await alice.client.send(to: [bob.deviceID], body: Messenger.transport(captured))
        // The same message id in a fresh encryption (a resend after a lost answer): dropped by id.
        let fixed = MessageID.random()
        try await alice.messenger.send(.text("twice?", replyTo: nil, mentions: []), in: group, messageID: fixed)
        try await alice.messenger.send(.text("twice?", replyTo: nil, mentions: []), in: group, messageID: fixed)
        try await alice.messenger.send(text: "last", to: group)
        try await bob.waitForTexts(["last"], in: group)
        #expect(try await bob.texts(in: group) == ["once", "twice?", "last"])
        // The app's event for "last" may trail its stored message by a moment.
        try await eventually("bob's app to hear of \"last\"") { bob.events.receivedTexts.last == "last" }
        #expect(bob.events.receivedTexts == ["once", "twice?", "last"])
        for device in [alice, bob] { await device.shutDown() }
        await server.stop()
    }

    @Test(.timeLimit(.minutes(2)))
    func recallOnlyWithinTheWindow() async throws {
        let server = try await InProcessServer.start()
        var options = testMessengerOptions
        options.recallWindow = .seconds(2)
        let alice = try await makeDevice("alice", on: server, options: options)
        var lenient = testMessengerOptions
        lenient.recallWindow = .seconds(3600)
        let bob = try await makeDevice("bob", on: server, options: options)
        let sloppy = try await linkDevice(to: alice, on: server, options: lenient)
        let group = try await alice.messenger.createGroup(name: "Recall", members: ["bob"])
        try await bob.waitForConversation(group)
        try await sloppy.waitForConversation(group)

        let quick = try await alice.messenger.send(text: "oops", to: group)
        let slow = try await alice.messenger.send(text: "stays", to: group)
        try await bob.waitForTexts(["oops", "stays"], in: group)
        try await alice.messenger.recall(quick.id, in: group)
        try await eventually("bob to see the recall") {
            (try? await bob.messenger.message(quick.id, in: group))?.isRecalled == true
        }
        try await Task.sleep(for: .seconds(2.5))
        await #expect(throws: MessengerError.self) { try await alice.messenger.recall(slow.id, in: group) }
        // A device with a longer window sends the recall anyway: receivers check it themselves.
        try await sloppy.waitForTexts(["stays"], in: group)
        try await sloppy.messenger.recall(slow.id, in: group)
        try await sloppy.messenger.send(text: "marker after recall", to: group)
        try await bob.waitForTexts(["marker after recall"], in: group)
        let kept = try await bob.messenger.message(slow.id, in: group)
        #expect(!kept.isRecalled)
        #expect(kept.text == "stays")
        for device in [alice, bob, sloppy] { await device.shutDown() }
        await server.stop()
    }
}
