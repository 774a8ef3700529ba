import TacitWire

/// Acknowledges received envelopes in one AckRequest per burst of reads, as a real client
/// would batch them, instead of one request per message.
final class AckBatcher {
    private let socket: BenchSocket
    private var queueIDs: [UInt64] = []

    init(socket: BenchSocket) {
        self.socket = socket
    }

    func add(_ queueID: UInt64) {
        queueIDs.append(queueID)
    }

    func flush() {
        guard !queueIDs.isEmpty else { return }
        var ack = WireAckRequest()
        ack.queueIds = queueIDs
        queueIDs.removeAll(keepingCapacity: true)
        socket.send(.ack(ack))
    }
}
