import Foundation
import NIOCore
import TacitWire

/// The running state of `tacit bench messages`, confined to one event loop (the one every
/// socket of the run uses): streams, their counters and the latency histogram.
final class MessageExchange: @unchecked Sendable {
    private struct Stream {
        let sender: Int
        let recipientDeviceID: UInt64
        var sent: UInt64 = 0
        var inFlight = 0
        var tracker = SequenceTracker()
    }

    private let options: MessagesOptions
    private let sockets: [BenchSocket]
    private let batchers: [AckBatcher]
    private var streams: [Stream] = []
    private let eventLoop: any EventLoop
    private let runTag = UInt32.random(in: .min ... .max)

    private var sending = false
    private var measuring = false
    private var histogram = LatencyHistogram()
    private var deliveredInWindow: UInt64 = 0
    private var windowStart: UInt64 = 0
    private var windowEnd: UInt64 = 0
    private var errors: [String: UInt64] = [:]
    private var rateTask: RepeatedTask?
    private var rateStart: UInt64 = 0
    private var rateIssued: UInt64 = 0
    private var windowClosed: EventLoopPromise<Void>?

    /// `devices[2i]` and `devices[2i+1]` form pair `i`; each sends to the other.
    init(options: MessagesOptions, devices: [BenchDevice], sockets: [BenchSocket]) {
        self.options = options
        self.sockets = sockets
        self.batchers = sockets.map(AckBatcher.init)
        self.eventLoop = sockets[0].eventLoop
        for pair in 0..<(devices.count / 2) {
            streams.append(Stream(sender: 2 * pair, recipientDeviceID: devices[2 * pair + 1].deviceID))
            streams.append(Stream(sender: 2 * pair + 1, recipientDeviceID: devices[2 * pair].deviceID))
        }
        for (index, socket) in sockets.enumerated() {
            socket.onPush = { [weak self] push in self?.received(push, at: index) }
            socket.onAnswer = { [weak self] _, body in self?.answered(body) }
            socket.onReadComplete = { [batcher = batchers[index]] in batcher.flush() }
        }
    }

    /// Starts sending; the measured window opens after the warm-up and closes `duration` later,
    /// when sending stops and the returned future completes (the drain starts from there).
    func start() -> EventLoopFuture<Void> {
        eventLoop.assertInEventLoop()
        let closed = eventLoop.makePromise(of: Void.self)
        windowClosed = closed
        sending = true
        let warmup = TimeAmount.nanoseconds(Int64(options.warmup * 1e9))
        let duration = TimeAmount.nanoseconds(Int64(options.duration * 1e9))
        eventLoop.scheduleTask(in: warmup) { self.openWindow() }
        eventLoop.scheduleTask(in: warmup + duration) { self.closeWindow() }
        switch options.load {
        case .window(let window):
            let now = MonotonicClock.nanoseconds
            for _ in 0..<window {
                for stream in streams.indices { send(on: stream, stampedAt: now) }
            }
        case .rate:
            rateStart = MonotonicClock.nanoseconds
            rateTask = eventLoop.scheduleRepeatedTask(initialDelay: .zero, delay: .milliseconds(1)) { _ in
                self.issueDue()
            }
        }
        return closed.futureResult
    }

    /// Whether sending has stopped and every sent message has arrived.
    var isDrained: Bool {
        eventLoop.assertInEventLoop()
        return !sending && streams.allSatisfy { $0.tracker.received >= $0.sent }
    }

    func report() -> MessagesReport {
        eventLoop.assertInEventLoop()
        let seconds = Double(windowEnd &- windowStart) / 1e9
        let window: Int? = if case .window(let w) = options.load { w } else { nil }
        let rate: Double? = if case .rate(let r) = options.load { r } else { nil }
        return MessagesReport(
            pairs: options.pairs, mode: window == nil ? "rate" : "window", window: window, offeredRate: rate,
            bodySize: options.bodySize, durationSeconds: seconds,
            sent: streams.reduce(0) { $0 + $1.sent },
            delivered: streams.reduce(0) { $0 + $1.tracker.received },
            deliveredPerSecond: seconds > 0 ? Double(deliveredInWindow) / seconds : 0,
            latency: histogram.summary,
            lost: streams.reduce(0) { $0 + $1.tracker.lost(sent: $1.sent) },
            duplicated: streams.reduce(0) { $0 + $1.tracker.duplicates },
            reordered: streams.reduce(0) { $0 + $1.tracker.reordered },
            errors: errors)
    }

    // MARK: Sending

    private func issueDue() {
        guard sending, case .rate(let rate) = options.load else { return }
        let now = MonotonicClock.nanoseconds
        let due = UInt64(Double(now &- rateStart) / 1e9 * rate)
        while rateIssued < due {
            // Stamped with the planned time, not the actual one (no coordinated omission).
            let planned = rateStart + UInt64(Double(rateIssued) / rate * 1e9)
            send(on: Int(rateIssued % UInt64(streams.count)), stampedAt: planned)
            rateIssued += 1
        }
    }

    private func send(on index: Int, stampedAt time: UInt64) {
        let sequence = streams[index].sent
        var request = WireSendRequest()
        request.clientMessageID = Self.messageID(run: runTag, stream: UInt32(index), sequence: sequence)
        request.recipientDeviceIds = [streams[index].recipientDeviceID]
        request.body = Data(MessageStamp(stream: UInt32(index), sequence: sequence, sentAtNanoseconds: time)
            .body(size: options.bodySize))
        streams[index].sent += 1
        streams[index].inFlight += 1
        sockets[streams[index].sender].send(.send(request))
    }

    /// A client message id unique within the run: run tag, stream, sequence.
    static func messageID(run: UInt32, stream: UInt32, sequence: UInt64) -> Data {
        var bytes = [UInt8]()
        bytes.reserveCapacity(16)
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: run >> UInt32(shift))) }
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: stream >> UInt32(shift))) }
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: sequence >> UInt64(shift))) }
        return Data(bytes)
    }

    // MARK: Receiving

    private func received(_ push: WireServerFrame.OneOf_Body, at socket: Int) {
        guard case .envelope(let envelope) = push else { return }
        batchers[socket].add(envelope.queueID)
        let now = MonotonicClock.nanoseconds
        guard let stamp = MessageStamp(body: envelope.body), Int(stamp.stream) < streams.count else {
            errors["undecodable body", default: 0] += 1
            return
        }
        let index = Int(stamp.stream)
        guard streams[index].tracker.record(stamp.sequence) != .duplicate else { return }
        streams[index].inFlight -= 1
        if measuring { deliveredInWindow += 1 }
        // Latency counts every message sent inside the window, also those that arrive during
        // the drain: leaving out the late ones would hide exactly the tail being measured.
        if windowStart != 0, stamp.sentAtNanoseconds >= windowStart,
           windowEnd == 0 || stamp.sentAtNanoseconds < windowEnd {
            histogram.record(nanoseconds: now &- stamp.sentAtNanoseconds)
        }
        if sending, case .window = options.load { send(on: index, stampedAt: now) }
    }

    private func answered(_ body: WireServerFrame.OneOf_Body?) {
        if case .error(let error) = body {
            errors[String(describing: error.code), default: 0] += 1
        }
    }

    private func openWindow() {
        measuring = true
        windowStart = MonotonicClock.nanoseconds
    }

    private func closeWindow() {
        measuring = false
        sending = false
        windowEnd = MonotonicClock.nanoseconds
        rateTask?.cancel()
        rateTask = nil
        let closed = windowClosed
        windowClosed = nil
        closed?.succeed()
    }
}
