import Foundation
import TacitServer
import TacitWire
import Testing

/// Each attack gets a clear refusal, and the server keeps serving everyone else.
@Suite struct AttackTests {
    /// After an attack: a fresh device still registers and gets answers.
    func expectStillServing(_ server: TestServer) async throws {
        let (socket, _) = try await server.register("bystander_\(Int.random(in: 0...999_999))", TestDevice())
        #expect(try await socket.request(.ping).error == nil)
    }

    @Test func malformedProtobufIsABadRequestAndTheConnectionStays() async throws {
        try await withTestServer { server in
            let socket = await server.connect()
            socket.sendRaw([0xFF, 0xFF, 0xFF, 0xFF])
            let before = try await socket.receive()
            #expect(before.error?.code == .badRequest)
            #expect(before.requestID == 0)
            // The same socket still completes a handshake and works after authenticating.
            let device = TestDevice()
            let hello = try await socket.request(.hello())
            guard case .challenge(let challenge) = hello.body else {
                Issue.record("expected a challenge, got \(hello)")
                return
            }
            let auth = try await socket.request(device.register(username: "malformed", challenge: challenge))
            #expect(auth.error == nil)
            _ = try await socket.backlog()
            socket.sendRaw([0x0A, 0x05, 0x01])  // a length-delimited field running past the end
            #expect(try await socket.receive().error?.code == .badRequest)
            #expect(try await socket.request(.ping).error == nil)
            try await expectStillServing(server)
        }
    }

    @Test func aFrameWithoutAKnownRequestIsABadRequest() async throws {
        try await withTestServer { server in
            let (socket, _) = try await server.register("empty_oneof", TestDevice())
            var empty41 = WireClientFrame()
            empty41.requestID = 41
            socket.send(empty41)
            let empty = try await socket.receive()
            #expect(empty.requestID == 41)
            #expect(empty.error?.code == .badRequest)
            // Field 99 is unknown to this server: decoded, but no request in the oneof.
            socket.sendRaw([0x08, 42, 0x9A, 0x06, 0x00])
            let unknown = try await socket.receive()
            #expect(unknown.requestID == 42)
            #expect(unknown.error?.code == .badRequest)
            socket.sendRaw([])
            #expect(try await socket.receive().error?.code == .badRequest)
            #expect(try await socket.request(.ping).error == nil)
            try await expectStillServing(server)
        }
    }

    @Test func anOversizedFrameClosesWith1009() async throws {
        try await withTestServer({ $0.maxEnvelopeBytes = 1024 }) { server in
            let (socket, _) = try await server.register("oversize", TestDevice())
            socket.sendRaw(randomBytes(server.configuration.maxFrameBytes + 1))
            let (_, code) = try await socket.drainUntilClosed()
            #expect(code == 1009)
            try await expectStillServing(server)
        }
    }

    @Test func aTextFrameClosesWith1003() async throws {
        try await withTestServer { server in
            let socket = await server.connect()
            socket.sendText("{\"hello\": true}")
            let (_, code) = try await socket.drainUntilClosed()
            #expect(code == 1003)
            try await expectStillServing(server)
        }
    }

    @Test func requestsBeforeAuthenticationAreRefused() async throws {
        try await withTestServer { server in
            let socket = await server.connect()
            #expect(try await socket.request(.ping).error?.code == .unauthenticated)
            _ = try await socket.request(.hello())
            let send = try await socket.request(.send(to: [1], body: [1, 2, 3]))
            #expect(send.error?.code == .unauthenticated)
            #expect(try await socket.request(.lookup("anyone")).error?.code == .unauthenticated)
            #expect(try await socket.request(.listDevices(WireListDevicesRequest())).error?.code == .unauthenticated)
            try await expectStillServing(server)
        }
    }

    @Test func aWrongSignatureIsRefused() async throws {
        try await withTestServer { server in
            let alice = TestDevice()
            let (_, aliceID) = try await server.register("alice", alice)
            let mallory = TestDevice()

            // Mallory claims Alice's key but cannot sign with it.
            let (socket, challenge) = try await server.handshake()
            var request = WireAuthenticate()
            request.deviceID = aliceID
            request.proof = alice.proof(for: challenge)
            request.proof.signature = mallory.sign(SignedMessages.deviceAuth(
                serverKey: Array(challenge.serverKey), challenge: Array(challenge.challenge),
                timestampMs: request.proof.timestampMs, deviceKey: alice.publicKey))
            let answer = try await socket.request(.authenticate(request))
            #expect(answer.error?.code == .unauthenticated)
            #expect(try await socket.closeCode() == WireCloseCode.authenticationFailed.rawValue)

            // Mallory signs correctly with her own key but names Alice's device.
            let (second, challenge2) = try await server.handshake()
            let own = try await second.request(mallory.authenticate(deviceID: aliceID, challenge: challenge2))
            #expect(own.error?.code == .unauthenticated)
            #expect(own.error?.message.contains("does not belong") == true)
            try await expectStillServing(server)
        }
    }

    @Test func aReplayedAuthenticationIsRefused() async throws {
        try await withTestServer { server in
            let alice = TestDevice()
            let (_, aliceID) = try await server.register("alice", alice)
            let (first, challenge) = try await server.handshake()
            let recorded = WireClientFrame(requestID: 50, body: alice.authenticate(deviceID: aliceID, challenge: challenge))
            first.send(recorded)
            #expect(try await first.receive().error == nil)
            // Replayed on the same connection: it is authenticated already.
            first.send(recorded)
            var again: WireServerFrame
            repeat { again = try await first.receive() } while again.requestID == 0
            #expect(again.requestID == 50)
            #expect(again.error?.code == .badRequest)
            #expect(try await first.request(.ping).error == nil)
            // Replayed on a new connection, whose challenge differs.
            let (second, _) = try await server.handshake()
            second.send(recorded)
            let replay = try await second.receive()
            #expect(replay.error?.code == .unauthenticated)
            #expect(try await second.closeCode() == WireCloseCode.authenticationFailed.rawValue)
            try await expectStillServing(server)
        }
    }

    @Test func aStaleTimestampIsRefused() async throws {
        try await withTestServer { server in
            let alice = TestDevice()
            let (_, aliceID) = try await server.register("alice", alice)
            for offset in [-600.0, 600.0] {
                let (socket, challenge) = try await server.handshake()
                let answer = try await socket.request(alice.authenticate(
                    deviceID: aliceID, challenge: challenge, at: Date().addingTimeInterval(offset)))
                #expect(answer.error?.code == .unauthenticated)
                #expect(answer.error?.message.contains("clock") == true)
            }
            try await expectStillServing(server)
        }
    }

    @Test func theSenderIsAlwaysTheAuthenticatedDevice() async throws {
        try await withTestServer { server in
            let (alice, aliceID) = try await server.register("alice", TestDevice())
            let (bob, bobID) = try await server.register("bob", TestDevice())
            let (carol, carolID) = try await server.register("carol", TestDevice())
            // SendRequest has no sender field; whatever a device sends is sent as itself.
            #expect(try await bob.request(.send(to: [aliceID], body: [1])).error == nil)
            #expect(try await carol.request(.send(to: [aliceID], body: [2])).error == nil)
            let first = try await alice.envelope()
            let second = try await alice.envelope()
            #expect(first.senderDeviceID == bobID)
            #expect(first.senderUsername == "bob")
            #expect(second.senderDeviceID == carolID)
            #expect(second.senderUsername == "carol")
            // An extra unknown field (number 100, "sender" = alice) appended to the frame changes nothing.
            var send = WireSendRequest()
            send.clientMessageID = Data(randomMessageID())
            send.recipientDeviceIds = [aliceID]
            send.body = Data([3])
            var bytes = WireCoding.encode(WireClientFrame(requestID: 9, body: .send(send)))
            bytes += [0xA0, 0x06, UInt8(aliceID & 0x7F)]
            bob.sendRaw(bytes)
            #expect(try await bob.receive().error == nil)
            let third = try await alice.envelope()
            #expect(third.senderDeviceID == bobID)
        }
    }

    @Test func ackingAnotherDevicesQueueDeletesNothing() async throws {
        try await withTestServer { server in
            let alice = TestDevice()
            let (aliceSocket, aliceID) = try await server.register("alice", alice)
            let (bob, _) = try await server.register("bob", TestDevice())
            #expect(try await bob.request(.send(to: [aliceID], body: [9, 9])).error == nil)
            let envelope = try await aliceSocket.envelope()
            // Bob acknowledges Alice's entry (and some made-up ids): accepted, but nothing is deleted.
            let ack = try await bob.request(.ack([envelope.queueID, envelope.queueID + 1, 1, 2, 3]))
            #expect(ack.error == nil)
            await aliceSocket.close()
            let again = try await server.authenticate(alice, id: aliceID)
            let backlog = try await again.backlog()
            #expect(backlog.map(\.queueID) == [envelope.queueID])
            #expect(backlog.first?.body == Data([9, 9]))
        }
    }

    @Test func aRevokedDeviceCannotAuthenticate() async throws {
        try await withTestServer { server in
            let first = TestDevice(name: "one")
            let second = TestDevice(name: "two")
            let (socket, _) = try await server.register("alice", first)
            let (secondSocket, secondID) = try await LinkFlow.link(server, approver: socket, approverDevice: first,
                                                                   username: "alice", devices: [first], newDevice: second)
            let revoke = try await socket.request(LinkFlow.revoke(secondID, signer: first, username: "alice",
                                                                  version: 3, remaining: [first]))
            #expect(revoke.error == nil)
            _ = try await secondSocket.drainUntilClosed()
            let (again, challenge) = try await server.handshake()
            let answer = try await again.request(second.authenticate(deviceID: secondID, challenge: challenge))
            #expect(answer.error?.code == .forbidden)
            #expect(try await again.closeCode() == WireCloseCode.deviceRevoked.rawValue)
            try await expectStillServing(server)
        }
    }

    @Test func concurrentRegistrationsOfOneUsernameHaveOneWinner() async throws {
        try await withTestServer { server in
            let attempts = 8
            let outcomes = try await withThrowingTaskGroup(of: WireServerFrame.self) { group in
                for _ in 0..<attempts {
                    group.addTask {
                        let (socket, challenge) = try await server.handshake()
                        return try await socket.request(TestDevice().register(username: "Race", challenge: challenge))
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let winners = outcomes.filter { if case .authResult = $0.body { true } else { false } }
            let conflicts = outcomes.filter { $0.error?.code == .conflict }
            #expect(winners.count == 1)
            #expect(conflicts.count == attempts - 1)
            #expect(conflicts.allSatisfy { $0.error?.message.contains("taken") == true })
        }
    }

    @Test func aFloodIsRateLimitedAndOthersAreUnaffected() async throws {
        try await withTestServer({ $0.rateLimit = .init(requestsPerSecond: 5, burst: 10) }) { server in
            let (flooder, _) = try await server.register("flooder", TestDevice())
            let (other, _) = try await server.register("other", TestDevice())
            var ids: [UInt64] = []
            for _ in 0..<60 { ids.append(flooder.send(.ping)) }
            var limited = 0
            var answered = 0
            for _ in ids {
                let frame = try await flooder.receive()
                if let error = frame.error {
                    #expect(error.code == .rateLimited)
                    #expect(error.retryable)
                    limited += 1
                } else {
                    answered += 1
                }
            }
            #expect(limited >= 30)
            #expect(answered >= 10)
            #expect(try await other.request(.ping).error == nil)
            try await Task.sleep(for: .milliseconds(500))
            #expect(try await flooder.request(.ping).error == nil)
        }
    }
}
