import Foundation
@testable import TacitServer
import TacitWire
import Testing

/// The device socket's own WebSocket handling: keep-alive, fragments, flow control,
/// shutdown. (The protocol on top is tested everywhere else.)
@Suite struct DeviceSocketTests {
    @Test func aClientThatNeverAnswersPingsIsPingedThenClosed() async throws {
        try await withTestServer({ $0.keepaliveInterval = .milliseconds(200) }) { server in
            let socket = try await RawWebSocket.connect(port: server.port, path: WireProtocol.connectPath)
            let frames = try await socket.receiveUntilClose()
            #expect(frames.contains { $0.opcode == 0x9 }, "a ping came first")
            #expect(frames.last?.closeCode == 1001)
            try await socket.send(opcode: 0x8, [0x03, 0xE8])
        }
    }

    @Test func aClientThatAnswersPingsStaysOpen() async throws {
        // Rounds long enough for a pong to come back on a loaded machine; five of them.
        try await withTestServer({ $0.keepaliveInterval = .milliseconds(600) }) { server in
            let (socket, _) = try await server.register("alice", TestDevice())
            try await Task.sleep(for: .seconds(3))
            #expect(try await socket.request(.ping).error == nil)
        }
    }

    @Test func aFragmentedMessageIsReassembled() async throws {
        try await withTestServer { server in
            let socket = try await RawWebSocket.connect(port: server.port, path: WireProtocol.connectPath)
            let hello = WireCoding.encode(WireClientFrame(requestID: 7, body: .hello()))
            let cut = hello.count / 2
            try await socket.send(opcode: 0x2, fin: false, Array(hello[..<cut]))
            try await socket.send(opcode: 0x9, [1, 2, 3])  // a ping may come between fragments
            try await socket.send(opcode: 0x0, fin: true, Array(hello[cut...]))
            let pong = try await socket.receive()
            #expect(pong.opcode == 0xA && pong.payload == [1, 2, 3])
            let answer = try await socket.receive()
            let frame = try WireCoding.decode(WireServerFrame.self, from: answer.payload)
            #expect(frame.requestID == 7)
            guard case .challenge = frame.body else { Issue.record("expected a challenge, got \(frame)"); return }
        }
    }

    @Test func fragmentsAddingUpToMoreThanTheLimitClose1009() async throws {
        try await withTestServer({ $0.maxEnvelopeBytes = 1024 }) { server in
            // Each fragment is within the limit (envelope plus 64 KiB), the message is not.
            let half = [UInt8](repeating: 1, count: server.configuration.maxFrameBytes / 2 + 1)
            let socket = try await RawWebSocket.connect(port: server.port, path: WireProtocol.connectPath)
            try await socket.send(opcode: 0x2, fin: false, half)
            try await socket.send(opcode: 0x0, fin: true, half)
            #expect(try await socket.receiveUntilClose().last?.closeCode == 1009)
            try await socket.send(opcode: 0x8, [0x03, 0xE8])
        }
    }

    @Test func aContinuationWithoutAMessageIsAProtocolError() async throws {
        try await withTestServer { server in
            let socket = try await RawWebSocket.connect(port: server.port, path: WireProtocol.connectPath)
            try await socket.send(opcode: 0x0, fin: true, [1, 2, 3])
            #expect(try await socket.receiveUntilClose().last?.closeCode == 1002)
            try await socket.send(opcode: 0x8, [0x03, 0xE8])
        }
    }

    /// More requests than the session queues before it stops reading, sent without
    /// reading a single answer: all are answered, in order, once the client reads.
    @Test func aFloodOfRequestsIsAnsweredInOrder() async throws {
        try await withTestServer({ $0.rateLimit = .init(requestsPerSecond: 100_000, burst: 100_000) }) { server in
            let (socket, _) = try await server.register("flood", TestDevice())
            let ids = (0..<1_000).map { _ in socket.send(.ping) }
            var answered: [UInt64] = []
            while answered.count < ids.count {
                let frame = try await socket.receive()
                #expect(frame.error == nil)
                if frame.requestID != 0 { answered.append(frame.requestID) }
            }
            #expect(answered == ids)
        }
    }

    @Test func theClientsCloseIsEchoedAndTheSessionLeaves() async throws {
        try await withTestServer { server in
            let socket = try await RawWebSocket.connect(port: server.port, path: WireProtocol.connectPath)
            try await socket.send(opcode: 0x8, [0x0F, 0xA0])  // 4000
            #expect(try await socket.receiveUntilClose().last?.closeCode == 4000)
            await #expect(throws: RawWebSocket.Failure.closed) { _ = try await socket.receive(timeout: .seconds(5)) }
        }
    }

    /// A client gone without a close frame (or a proxy passing on its FIN): the socket closes
    /// and the session leaves, although the server accepts half-closed HTTP connections.
    @Test func aHalfClosedSocketIsClosed() async throws {
        try await withTestServer { server in
            let socket = try await RawWebSocket.connect(port: server.port, path: WireProtocol.connectPath)
            socket.shutdownWrite()
            await #expect(throws: RawWebSocket.Failure.closed) { _ = try await socket.receive(timeout: .seconds(5)) }
        }
    }

    @Test func shutdownClosesIdleSocketsWithGoingAway() async throws {
        let server = try await TestServer.start()
        defer { server.removeData() }
        let socket = try await RawWebSocket.connect(port: server.port, path: WireProtocol.connectPath)
        let stopping = Task { try await server.stop() }
        let frames = try await socket.receiveUntilClose()
        #expect(frames.last?.closeCode == 1001)
        try await socket.send(opcode: 0x8, [0x03, 0xE9])
        try await stopping.value
    }
}

@Suite struct SerialJobsTests {
    @Test func jobsRunOneAtATimeInOrder() async throws {
        let jobs = SerialJobs()
        let log = JobLog()
        for index in 0..<200 {
            jobs.submit {
                await log.enter(index)
                try? await Task.sleep(for: .microseconds(50))
                await log.leave()
            }
        }
        try await log.waitFor(count: 200)
        #expect(await log.order == Array(0..<200))
        #expect(await log.maxConcurrent == 1)
    }

    @Test func aLongQueueAsksToPauseAndCallsBackWhenShort() async throws {
        let jobs = SerialJobs(highWater: 8, lowWater: 2)
        let gate = JobGate()
        var admissions: [SerialJobs.Admission] = []
        for _ in 0..<10 { admissions.append(jobs.submit { await gate.pass() }) }
        #expect(admissions.prefix(7).allSatisfy { $0 == .accepted })
        #expect(admissions.last == .pause)
        let resumed = JobFlag()
        jobs.whenDrained { Task { await resumed.set() } }
        #expect(await resumed.value == false)
        await gate.open()
        try await resumed.waitUntilSet()
    }

    @Test func anIdleQueueStartsAgainOnTheNextJob() async throws {
        let jobs = SerialJobs()
        let log = JobLog()
        jobs.submit { await log.enter(1); await log.leave() }
        try await log.waitFor(count: 1)
        try await Task.sleep(for: .milliseconds(20))
        jobs.submit { await log.enter(2); await log.leave() }
        try await log.waitFor(count: 2)
        #expect(await log.order == [1, 2])
    }
}

private actor JobLog {
    private(set) var order: [Int] = []
    private(set) var maxConcurrent = 0
    private var running = 0

    func enter(_ index: Int) {
        order.append(index)
        running += 1
        maxConcurrent = max(maxConcurrent, running)
    }

    func leave() { running -= 1 }

    func waitFor(count: Int) async throws {
        for _ in 0..<2_000 where order.count < count { try await Task.sleep(for: .milliseconds(5)) }
        if order.count < count { throw RawWebSocket.Failure.timedOut }
    }
}

private actor JobGate {
    private var isOpen = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func pass() async {
        if isOpen { return }
        await withCheckedContinuation { waiters.append($0) }
    }

    func open() {
        isOpen = true
        for waiter in waiters { waiter.resume() }
        waiters = []
    }
}

private actor JobFlag {
    private(set) var value = false
    func set() { value = true }
    func waitUntilSet() async throws {
        for _ in 0..<2_000 where !value { try await Task.sleep(for: .milliseconds(5)) }
        if !value { throw RawWebSocket.Failure.timedOut }
    }
}
