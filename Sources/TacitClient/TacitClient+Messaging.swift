import Foundation
import Logging
import TacitWire

extension TacitClient {
    /// Sends `body` to the given devices and returns once the server has stored it.
    ///
    /// While the server cannot be reached, or answers with a retryable error, the send is
    /// retried with backoff under the same `clientMessageID`, so a message that was stored
    /// but whose answer was lost is not stored twice. Cancel the calling task to give up.
    /// Messages sent one after another from one device arrive in that order.
    /// - Parameter clientMessageID: the id that makes retries idempotent; a fresh one by default.
    @discardableResult
    public func send(to recipients: [DeviceID], body: [UInt8],
                     clientMessageID: ClientMessageID = .random()) async throws(ClientError) -> SendReceipt {
        var request = WireSendRequest()
        request.clientMessageID = Data(clientMessageID.bytes)
        request.recipientDeviceIds = recipients
        request.body = Data(body)
        return try await send(request, clientMessageID: clientMessageID)
    }

    /// Sends a group commit: `body` to `recipients` and each dispatch to its own
    /// recipients, all stored atomically, and only if `epochClaim` wins its epoch.
    ///
    /// Retried like ``send(to:body:clientMessageID:)`` while the server is unreachable
    /// or answers with a retryable error; a retry of a commit that was stored is answered
    /// as a duplicate (``SendReceipt/duplicate``), never as a lost race. Two answers are
    /// thrown at once, as ``ClientError/server(_:)``:
    /// - ``ServerError/Code/staleEpoch(current:)``: another commit won this epoch;
    ///   process it (and any later ones) and build the commit again;
    /// - ``ServerError/Code/forbidden``: the epoch token is not the group's current one.
    ///
    /// - Parameters:
    ///   - epochClaim: the epoch this commit advances; `nil` sends without ordering.
    ///   - additional: bodies for other recipients (such as a Welcome), disjoint from
    ///     `recipients` and from each other.
    @discardableResult
    public func send(to recipients: [DeviceID], body: [UInt8], clientMessageID: ClientMessageID = .random(),
                     epochClaim: EpochClaim?, additional: [Dispatch] = []) async throws(ClientError) -> SendReceipt {
        var request = WireSendRequest()
        request.clientMessageID = Data(clientMessageID.bytes)
        request.recipientDeviceIds = recipients
        request.body = Data(body)
        if let epochClaim {
            var claim = WireEpochClaim()
            claim.groupID = Data(epochClaim.groupID)
            claim.epoch = epochClaim.epoch
            claim.epochToken = Data(epochClaim.epochToken)
            claim.nextTokenHash = Data(epochClaim.nextTokenHash)
            request.epochClaim = claim
        }
        request.additional = additional.map { dispatch in
            var wire = WireDispatch()
            wire.recipientDeviceIds = dispatch.recipients
            wire.body = Data(dispatch.body)
            return wire
        }
        return try await send(request, clientMessageID: clientMessageID)
    }

    /// Sends `request`, retrying retryable failures with backoff under its client message id.
    private func send(_ request: WireSendRequest,
                      clientMessageID: ClientMessageID) async throws(ClientError) -> SendReceipt {
        var attempt = 0
        while true {
            let session = try await currentSession()
            do throws(ClientError) {
                switch try await session.request(.send(request)) {
                case .send(let response):
                    return SendReceipt(clientMessageID: clientMessageID,
                                       serverTime: Date(millisecondsSince1970: response.serverTimeMs),
                                       duplicate: response.duplicate)
                default:
                    throw ClientError.protocolViolation("the answer to Send is not a SendResponse")
                }
            } catch where error.isRetryable {
                logger.debug("retrying a send", metadata: ["message": "\(clientMessageID)", "reason": "\(error)"])
                do {
                    try await Task.sleep(for: options.backoff.delay(attempt: attempt))
                } catch {
                    throw .cancelled
                }
                attempt += 1
            }
        }
    }

    /// Sends `body` to the given devices; see ``send(to:body:clientMessageID:)``.
    @discardableResult
    public func send(to recipients: [DeviceID], body: Data,
                     clientMessageID: ClientMessageID = .random()) async throws(ClientError) -> SendReceipt {
        try await send(to: recipients, body: Array(body), clientMessageID: clientMessageID)
    }

    /// Marks `envelope` as processed by the app: it will never be handed over again, and
    /// the server may delete it.
    ///
    /// The record is made locally first and survives a crash; the server learns of it on
    /// the open connection or the next one (see ``flushAcknowledgements()``).
    public func acknowledge(_ envelope: IncomingEnvelope) throws(ClientError) {
        try store.markProcessed(envelope, now: Date())
        inFlight.remove(MessageKey(sender: envelope.senderDeviceID, clientMessageID: envelope.clientMessageID))
        pendingAcks.insert(envelope.queueID)
        scheduleAckFlush()
    }

    /// Waits until the server confirmed every acknowledgement made so far.
    public func flushAcknowledgements() async throws(ClientError) {
        var failedRounds = 0
        while true {
            if Task.isCancelled { throw .cancelled }
            if let running = ackFlush {
                await running.value
                continue
            }
            if pendingAcks.isEmpty { return }
            guard let session, session.isOpen else { throw isClosed ? .closed : .notConnected }
            if failedRounds > 0 {
                // The last round was refused retryably (say, the server's database is down):
                // wait before asking again rather than spinning on refusals.
                do { try await Task.sleep(for: options.backoff.delay(attempt: failedRounds - 1)) } catch { throw .cancelled }
            }
            let before = pendingAcks.count
            scheduleAckFlush()
            guard let running = ackFlush else { throw .connectionLost }
            await running.value
            failedRounds = pendingAcks.count >= before ? failedRounds + 1 : 0
        }
    }

    /// Waits until the server has pushed this device's stored backlog on the current
    /// connection (or the next one, while reconnecting).
    ///
    /// - Returns: how many envelopes ``incoming`` has been given since this client was
    ///   created; every message queued before the connection is among them.
    @discardableResult
    public func waitForBacklog() async throws(ClientError) -> Int {
        if backlogDrained, session?.isOpen == true { return deliveredCount }
        if isClosed { throw .closed }
        if let stopReason { throw stopReason }
        guard supervisor != nil else { throw .notConnected }
        let id = UUID()
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<Int, ClientError>, Never>) in
                if Task.isCancelled {
                    continuation.resume(returning: .failure(.cancelled))
                } else {
                    drainWaiters[id] = continuation
                }
            }
        } onCancel: {
            Task { await self.resumeDrainWaiter(id, with: .failure(.cancelled)) }
        }
        return try result.get()
    }

    private func resumeDrainWaiter(_ id: UUID, with result: Result<Int, ClientError>) {
        drainWaiters.removeValue(forKey: id)?.resume(returning: result)
    }

    /// How many messages this home remembers as processed (for diagnostics).
    public func processedMessageCount() throws(ClientError) -> Int {
        try store.processedCount()
    }

    /// Hands a pushed envelope to the app unless the app has it already.
    func receive(_ envelope: IncomingEnvelope) {
        let key = MessageKey(sender: envelope.senderDeviceID, clientMessageID: envelope.clientMessageID)
        if inFlight.contains(key) { return }
        do {
            if try store.isProcessed(sender: key.sender, clientMessageID: key.clientMessageID) {
                // Processed before; the server missed the acknowledgement.
                pendingAcks.insert(envelope.queueID)
                scheduleAckFlush()
                return
            }
        } catch {
            // Without the record it is safer to hand it over than to lose it.
            logger.error("cannot check for a duplicate", metadata: ["error": "\(error)"])
        }
        inFlight.insert(key)
        deliveredCount += 1
        incomingContinuation.yield(envelope)
    }

    /// Starts sending pending acknowledgements, unless that is running or there is no connection.
    func scheduleAckFlush() {
        guard ackFlush == nil, !pendingAcks.isEmpty, let session, session.isOpen else { return }
        ackFlush = Task { await self.runAckFlush(on: session) }
    }

    private func runAckFlush(on session: Session) async {
        defer { ackFlush = nil }
        while !pendingAcks.isEmpty, session.isOpen {
            let batch = Array(pendingAcks.sorted().prefix(1000))
            pendingAcks.subtract(batch)
            var request = WireAckRequest()
            request.queueIds = batch
            do throws(ClientError) {
                _ = try await session.request(.ack(request))
            } catch where error.isRetryable || error == .cancelled {
                pendingAcks.formUnion(batch)
                return
            } catch {
                // The server refused them for good (e.g. unknown ids); a redelivery would be
                // recognized as a duplicate and acknowledged again.
                logger.warning("acknowledgement refused", metadata: ["error": "\(error)"])
            }
        }
    }
}
