import Foundation
import NIOCore
import TacitWire

/// The running state of `tacit bench group`, confined to the event loop of its sockets.
/// Socket 0 is the sender; the others are the members.
final class GroupFanOut: @unchecked Sendable {
    private let options: GroupOptions
    private let sockets: [BenchSocket]
    private let batchers: [AckBatcher]
    private let memberIDs: [UInt64]
    private let eventLoop: any EventLoop
    private let runTag = UInt32.random(in: .min ... .max)

    private var round: UInt64 = 0
    private var roundStart: UInt64 = 0
    private var arrivedThisRound = 0
    private var trackers: [SequenceTracker]
    private var firstHistogram = LatencyHistogram()
    private var lastHistogram = LatencyHistogram()
    private var delivered: UInt64 = 0
    private var errors: [String: UInt64] = [:]
    private var roundDone: EventLoopPromise<Void>?

    init(options: GroupOptions, devices: [BenchDevice], sockets: [BenchSocket]) {
        self.options = options
        self.sockets = sockets
        self.batchers = sockets.map(AckBatcher.init)
        self.memberIDs = devices.dropFirst().map(\.deviceID)
        self.eventLoop = sockets[0].eventLoop
        self.trackers = Array(repeating: SequenceTracker(), count: sockets.count)
        for (index, socket) in sockets.enumerated() {
            socket.onPush = { [weak self] push in self?.received(push, at: index) }
            socket.onAnswer = { [weak self] _, body in
                if case .error(let error) = body { self?.errors[String(describing: error.code), default: 0] += 1 }
            }
            socket.onReadComplete = { [batcher = batchers[index]] in batcher.flush() }
        }
    }

    /// Sends round `round`'s message to every member; completes when the last one has it.
    func sendRound() -> EventLoopFuture<Void> {
        eventLoop.assertInEventLoop()
        let promise = eventLoop.makePromise(of: Void.self)
        roundDone = promise
        arrivedThisRound = 0
        roundStart = MonotonicClock.nanoseconds
        var request = WireSendRequest()
        request.clientMessageID = MessageExchange.messageID(run: runTag, stream: 0, sequence: round)
        request.recipientDeviceIds = memberIDs
        request.body = Data(MessageStamp(stream: 0, sequence: round, sentAtNanoseconds: roundStart)
            .body(size: options.bodySize))
        sockets[0].send(.send(request))
        return promise.futureResult
    }

    /// Gives up on the current round (a member never got it).
    func abandonRound() {
        round += 1
        roundDone = nil
    }

    func report() -> GroupReport {
        let members = memberIDs.count
        let lost = (1...members).reduce(UInt64(0)) { $0 + trackers[$1].lost(sent: round) }
        return GroupReport(members: members, rounds: Int(round), bodySize: options.bodySize, delivered: delivered,
                           first: firstHistogram.summary, last: lastHistogram.summary, lost: lost,
                           duplicated: trackers.reduce(0) { $0 + $1.duplicates }, errors: errors)
    }

    private func received(_ push: WireServerFrame.OneOf_Body, at socket: Int) {
        guard case .envelope(let envelope) = push else { return }
        batchers[socket].add(envelope.queueID)
        let now = MonotonicClock.nanoseconds
        guard let stamp = MessageStamp(body: envelope.body) else {
            errors["undecodable body", default: 0] += 1
            return
        }
        guard trackers[socket].record(stamp.sequence) != .duplicate else { return }
        delivered += 1
        guard stamp.sequence == round else { return }
        arrivedThisRound += 1
        let measured = round >= UInt64(options.warmupRounds)
        if arrivedThisRound == 1, measured { firstHistogram.record(nanoseconds: now &- roundStart) }
        if arrivedThisRound == memberIDs.count {
            if measured { lastHistogram.record(nanoseconds: now &- roundStart) }
            round += 1
            let done = roundDone
            roundDone = nil
            done?.succeed()
        }
    }
}
