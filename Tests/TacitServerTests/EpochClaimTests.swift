import Foundation
import TacitServer
import TacitWire
import Testing

/// "One commit per epoch", attacked from inside (racing members) and outside (non-members).
@Suite struct EpochClaimTests {
    static func commit(_ group: [UInt8], epoch: UInt64, to recipients: [UInt64],
                       additional: [(recipients: [UInt64], body: [UInt8])] = [],
                       id: [UInt8] = randomMessageID()) -> WireClientFrame.OneOf_Body {
        .commit(to: recipients, group: group, epoch: epoch, token: EpochTokens.token(group, epoch),
                nextToken: EpochTokens.token(group, epoch + 1), additional: additional, id: id)
    }

    @Test func concurrentCommitsForOneEpochHaveExactlyOneWinner() async throws {
        try await withTestServer { server in
            let (alice, aliceID) = try await server.register("alice", TestDevice())
            let (bob, bobID) = try await server.register("bob", TestDevice())
            let (carol, carolID) = try await server.register("carol", TestDevice())
            let group = randomBytes(32)
            #expect(try await alice.request(Self.commit(group, epoch: 0, to: [bobID, carolID])).error == nil)
            _ = try await bob.envelope()
            _ = try await carol.envelope()

            for round in 0..<5 {
                let epoch = UInt64(1 + round)
                async let fromAlice = alice.request(Self.commit(group, epoch: epoch, to: [bobID, carolID]))
                async let fromBob = bob.request(Self.commit(group, epoch: epoch, to: [aliceID, carolID]))
                let (aliceAnswer, bobAnswer) = try await (fromAlice, fromBob)
                let answers = [aliceAnswer, bobAnswer]
                #expect(answers.filter { $0.error == nil }.count == 1)
                let loser = try #require(answers.compactMap(\.error).first)
                #expect(loser.code == .staleEpoch)
                #expect(loser.currentEpoch == epoch + 1)
                #expect(!loser.retryable)
                // Carol gets exactly the winning commit.
                let winner = aliceAnswer.error == nil ? aliceID : bobID
                #expect(try await carol.envelope().senderDeviceID == winner)
                let observer = winner == aliceID ? bob : alice
                _ = try await observer.envelope()
            }
            try await carol.expectSilence()
            let (_, metrics) = try await server.get("/metrics")
            #expect(metrics.contains("tacit_stale_epochs_total 5"))
            #expect(metrics.contains("tacit_epoch_commits_total 6"))
        }
    }

    @Test func aNonMemberWithoutTheEpochTokenCannotAdvanceTheGroup() async throws {
        try await withTestServer { server in
            let (alice, _) = try await server.register("alice", TestDevice())
            let (bob, bobID) = try await server.register("bob", TestDevice())
            let (mallory, _) = try await server.register("mallory", TestDevice())
            let group = randomBytes(32)
            #expect(try await alice.request(Self.commit(group, epoch: 0, to: [bobID])).error == nil)

            // Mallory learned the group id, not the token: a guessed token is refused …
            let guessed = try await mallory.request(.commit(to: [bobID], group: group, epoch: 1, token: randomBytes(32),
                                                            nextToken: randomBytes(32)))
            #expect(guessed.error?.code == .forbidden)
            // … so is an empty one, and re-creating the group at epoch 0.
            let empty = try await mallory.request(.commit(to: [bobID], group: group, epoch: 1, token: [],
                                                          nextToken: randomBytes(32)))
            #expect(empty.error?.code == .forbidden)
            let recreate = try await mallory.request(.commit(to: [bobID], group: group, epoch: 0, token: [],
                                                             nextToken: randomBytes(32)))
            #expect(recreate.error?.code == .staleEpoch)
            // A group Mallory never saw does not exist beyond epoch 0.
            let unknown = try await mallory.request(Self.commit(randomBytes(32), epoch: 4, to: [bobID]))
            #expect(unknown.error?.code == .notFound)

            // The group did not move, and Bob got nothing from Mallory.
            #expect(try await alice.request(Self.commit(group, epoch: 1, to: [bobID])).error == nil)
            #expect(try await bob.envelope().body == Data("commit".utf8))
            #expect(try await bob.envelope().body == Data("commit".utf8))
            try await bob.expectSilence()
        }
    }

    @Test func aRetryOfAWinningCommitIsADuplicateNotAStaleEpoch() async throws {
        try await withTestServer { server in
            let (alice, _) = try await server.register("alice", TestDevice())
            let (bob, bobID) = try await server.register("bob", TestDevice())
            let group = randomBytes(16)
            let id = randomMessageID()
            #expect(try await alice.request(Self.commit(group, epoch: 0, to: [bobID], id: id)).error == nil)
            let retry = try await alice.request(Self.commit(group, epoch: 0, to: [bobID], id: id))
            guard case .send(let response) = retry.body else { throw TestSocket.Failure.unexpected("\(retry)") }
            #expect(response.duplicate)
            _ = try await bob.envelope()
            try await bob.expectSilence()
        }
    }

    @Test func aWelcomeTravelsWithItsCommitOrNotAtAll() async throws {
        try await withTestServer { server in
            let (alice, aliceID) = try await server.register("alice", TestDevice())
            let (bob, bobID) = try await server.register("bob", TestDevice())
            let (carol, carolID) = try await server.register("carol", TestDevice())
            let group = randomBytes(16)
            #expect(try await alice.request(Self.commit(group, epoch: 0, to: [bobID])).error == nil)
            _ = try await bob.envelope()

            // Overlapping recipient sets, an unknown recipient of the dispatch: refused, nothing stored.
            let overlap = try await alice.request(Self.commit(group, epoch: 1, to: [bobID],
                                                              additional: [([bobID, carolID], Array("welcome".utf8))]))
            #expect(overlap.error?.code == .badRequest)
            let ghost = try await alice.request(Self.commit(group, epoch: 1, to: [bobID],
                                                            additional: [([carolID, 999_999], Array("welcome".utf8))]))
            #expect(ghost.error?.code == .notFound)
            try await bob.expectSilence()
            try await carol.expectSilence()

            let id = randomMessageID()
            #expect(try await alice.request(Self.commit(group, epoch: 1, to: [bobID],
                                                        additional: [([carolID], Array("welcome".utf8))], id: id)).error == nil)
            let commit = try await bob.envelope()
            let welcome = try await carol.envelope()
            #expect(commit.body == Data("commit".utf8))
            #expect(welcome.body == Data("welcome".utf8))
            #expect(Array(welcome.clientMessageID) == id)
            #expect(welcome.senderDeviceID == aliceID)
        }
    }

    @Test func malformedClaimsAreBadRequests() async throws {
        try await withTestServer({ $0.maxEnvelopeBytes = 100; $0.maxRecipients = 2 }) { server in
            let (alice, _) = try await server.register("alice", TestDevice())
            let (_, bobID) = try await server.register("bob", TestDevice())
            let (_, carolID) = try await server.register("carol", TestDevice())
            let (_, daveID) = try await server.register("dave", TestDevice())
            guard case .send(var send) = Self.commit(randomBytes(16), epoch: 0, to: [bobID]) else { return }
            var shortHash = send
            shortHash.epochClaim.nextTokenHash = Data(randomBytes(31))
            #expect(try await alice.request(.send(shortHash)).error?.code == .badRequest)
            var noGroup = send
            noGroup.epochClaim.groupID = Data()
            #expect(try await alice.request(.send(noGroup)).error?.code == .badRequest)
            var lastEpoch = send
            lastEpoch.epochClaim.epoch = .max
            #expect(try await alice.request(.send(lastEpoch)).error?.code == .badRequest)
            // The limits count every part: recipients and body bytes.
            var dispatch = WireDispatch()
            dispatch.recipientDeviceIds = [carolID, daveID]
            dispatch.body = Data([1])
            send.additional = [dispatch]
            #expect(try await alice.request(.send(send)).error?.code == .tooLarge)
            dispatch.recipientDeviceIds = [carolID]
            dispatch.body = Data(randomBytes(100 - send.body.count + 1))
            send.additional = [dispatch]
            #expect(try await alice.request(.send(send)).error?.code == .tooLarge)
            dispatch.body = Data()
            send.additional = [dispatch]
            #expect(try await alice.request(.send(send)).error?.code == .badRequest)
            #expect(try await alice.request(.ping).error == nil)
        }
    }
}
