import Foundation
import TacitServer
import TacitWire
import Testing

@Suite struct DeliveryTests {
    @Test func anOnlineRecipientGetsTheEnvelopeAtOnce() async throws {
        try await withTestServer { server in
            let (alice, aliceID) = try await server.register("alice", TestDevice())
            let (bob, bobID) = try await server.register("bob", TestDevice())
            let id = randomMessageID()
            let answer = try await bob.request(.send(to: [aliceID], body: Array("hi".utf8), id: id))
            guard case .send(let response) = answer.body else {
                Issue.record("expected SendResponse, got \(answer)")
                return
            }
            #expect(!response.duplicate)
            #expect(response.serverTimeMs > 0)
            let envelope = try await alice.envelope()
            #expect(envelope.senderDeviceID == bobID)
            #expect(Array(envelope.clientMessageID) == id)
            #expect(envelope.body == Data("hi".utf8))
            #expect(envelope.serverTimeMs == response.serverTimeMs)
            #expect(try await alice.request(.ack([envelope.queueID])).error == nil)
        }
    }

    @Test func anOfflineRecipientGetsItsBacklogInOrderThenQueueDrained() async throws {
        try await withTestServer { server in
            let alice = TestDevice()
            let (aliceSocket, aliceID) = try await server.register("alice", alice)
            await aliceSocket.close()
            let (bob, _) = try await server.register("bob", TestDevice())
            for index in 0..<5 {
                #expect(try await bob.request(.send(to: [aliceID], body: [UInt8(index)])).error == nil)
            }
            let socket = try await server.authenticate(alice, id: aliceID)
            let backlog = try await socket.backlog()
            #expect(backlog.map(\.body) == (0..<5).map { Data([UInt8($0)]) })
            #expect(backlog.map(\.queueID) == backlog.map(\.queueID).sorted())
            // Unacknowledged entries come again on the next connection; acknowledged ones do not.
            #expect(try await socket.request(.ack(backlog.prefix(3).map(\.queueID))).error == nil)
            await socket.close()
            let again = try await server.authenticate(alice, id: aliceID)
            #expect(try await again.backlog().map(\.body) == [Data([3]), Data([4])])
        }
    }

    @Test func aLongBacklogIsStreamedInPages() async throws {
        try await withTestServer({ $0.backlogPageSize = 7 }) { server in
            let alice = TestDevice()
            let (aliceSocket, aliceID) = try await server.register("alice", alice)
            await aliceSocket.close()
            let (bob, _) = try await server.register("bob", TestDevice())
            for index in 0..<30 {
                bob.send(.send(to: [aliceID], body: [UInt8(index)]))
            }
            for _ in 0..<30 { #expect(try await bob.receive().error == nil) }
            let socket = try await server.authenticate(alice, id: aliceID)
            #expect(try await socket.backlog().map(\.body) == (0..<30).map { Data([UInt8($0)]) })
        }
    }

    @Test func sendsDuringTheBacklogAreNeitherReorderedNorDuplicated() async throws {
        try await withTestServer({ $0.backlogPageSize = 5 }) { server in
            let alice = TestDevice()
            let (aliceSocket, aliceID) = try await server.register("alice", alice)
            await aliceSocket.close()
            let (bob, _) = try await server.register("bob", TestDevice())
            let total = 80
            for index in 0..<40 {
                bob.send(.send(to: [aliceID], body: withUnsafeBytes(of: UInt32(index).bigEndian, Array.init)))
            }
            for _ in 0..<40 { #expect(try await bob.receive().error == nil) }
            // Alice connects while Bob keeps sending.
            async let more: Void = { () async throws in
                for index in 40..<total {
                    bob.send(.send(to: [aliceID], body: withUnsafeBytes(of: UInt32(index).bigEndian, Array.init)))
                }
                for _ in 40..<total { #expect(try await bob.receive().error == nil) }
            }()
            let socket = try await server.authenticate(alice, id: aliceID)
            var received: [UInt32] = []
            var drained = false
            // QueueDrained ends the first pass, which may take in sends made meanwhile: it can
            // come anywhere among the envelopes, also after the last one.
            while received.count < total || !drained {
                let frame = try await socket.push()
                switch frame.body {
                case .envelope(let envelope):
                    received.append(envelope.body.reduce(0) { $0 << 8 | UInt32($1) })
                case .queueDrained:
                    #expect(!drained)
                    drained = true
                default:
                    Issue.record("unexpected \(frame)")
                }
            }
            try await more
            #expect(received == Array(0..<UInt32(total)))
            try await socket.expectSilence(for: .milliseconds(300))
        }
    }

    @Test func oneSendFansOutToEveryRecipientDevice() async throws {
        try await withTestServer { server in
            let laptop = TestDevice()
            let (laptopSocket, laptopID) = try await server.register("alice", laptop)
            let (phoneSocket, phoneID) = try await LinkFlow.link(server, approver: laptopSocket, approverDevice: laptop,
                                                                 username: "alice", devices: [laptop],
                                                                 newDevice: TestDevice())
            let (carolSocket, carolID) = try await server.register("carol", TestDevice())
            let (bob, _) = try await server.register("bob", TestDevice())
            let body = randomBytes(1000)
            #expect(try await bob.request(.send(to: [laptopID, phoneID, carolID, carolID], body: body)).error == nil)
            for socket in [laptopSocket, phoneSocket, carolSocket] {
                #expect(try await socket.envelope().body == Data(body))
            }
            // Carol was named twice but gets one copy.
            try await carolSocket.expectSilence()
        }
    }

    @Test func aRetryWithTheSameClientMessageIDIsStoredOnce() async throws {
        try await withTestServer { server in
            let (alice, aliceID) = try await server.register("alice", TestDevice())
            let (bob, _) = try await server.register("bob", TestDevice())
            let id = randomMessageID()
            let first = try await bob.request(.send(to: [aliceID], body: [1], id: id))
            let second = try await bob.request(.send(to: [aliceID], body: [1], id: id))
            guard case .send(let one) = first.body, case .send(let two) = second.body else {
                Issue.record("expected two SendResponses, got \(first) and \(second)")
                return
            }
            #expect(!one.duplicate)
            #expect(two.duplicate)
            let envelope = try await alice.envelope()
            #expect(Array(envelope.clientMessageID) == id)
            try await alice.expectSilence()
        }
    }

    @Test func manySendsArriveInTheOrderSent() async throws {
        try await withTestServer { server in
            let (alice, aliceID) = try await server.register("alice", TestDevice())
            let (bob, _) = try await server.register("bob", TestDevice())
            for index in 0..<100 {
                bob.send(.send(to: [aliceID], body: [UInt8(index)]))
            }
            for _ in 0..<100 { #expect(try await bob.receive().error == nil) }
            var bodies: [Data] = []
            for _ in 0..<100 { bodies.append(try await alice.envelope().body) }
            #expect(bodies == (0..<100).map { Data([UInt8($0)]) })
        }
    }

    @Test func unacknowledgedEntriesExpire() async throws {
        try await withTestServer({
            $0.queueExpiry = .milliseconds(500)
            $0.maintenanceInterval = .milliseconds(200)
        }) { server in
            let alice = TestDevice()
            let (aliceSocket, aliceID) = try await server.register("alice", alice)
            await aliceSocket.close()
            let (bob, _) = try await server.register("bob", TestDevice())
            #expect(try await bob.request(.send(to: [aliceID], body: [1])).error == nil)
            try await Task.sleep(for: .milliseconds(1500))
            let socket = try await server.authenticate(alice, id: aliceID)
            #expect(try await socket.backlog().isEmpty)
        }
    }

    @Test func randomBodiesRoundTripUnchanged() async throws {
        try await withTestServer { server in
            let (alice, aliceID) = try await server.register("alice", TestDevice())
            let (bob, _) = try await server.register("bob", TestDevice())
            let bodies = [randomBytes(1), randomBytes(4096), randomBytes(server.configuration.maxEnvelopeBytes),
                          [0, 0, 0], [0xFF]]
            for body in bodies {
                #expect(try await bob.request(.send(to: [aliceID], body: body)).error == nil)
            }
            for body in bodies {
                #expect(try await alice.envelope().body == Data(body))
            }
        }
    }

    @Test func invalidSendsAreRefusedClearlyAndTheConnectionStays() async throws {
        try await withTestServer({ $0.maxEnvelopeBytes = 2048 }) { server in
            let (alice, aliceID) = try await server.register("alice", TestDevice())
            let tooLarge = try await alice.request(.send(to: [aliceID], body: randomBytes(2049)))
            #expect(tooLarge.error?.code == .tooLarge)
            #expect(tooLarge.error?.message.contains("2048") == true)
            #expect(try await alice.request(.send(to: [aliceID], body: [1], id: [1, 2, 3])).error?.code == .badRequest)
            #expect(try await alice.request(.send(to: [], body: [1])).error?.code == .badRequest)
            #expect(try await alice.request(.send(to: [aliceID], body: [])).error?.code == .badRequest)
            let unknown = try await alice.request(.send(to: [aliceID, 999_999], body: [1]))
            #expect(unknown.error?.code == .notFound)
            #expect(unknown.error?.message.contains("999999") == true)
            #expect(try await alice.request(.ping).error == nil)
        }
    }
}
