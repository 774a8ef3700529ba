import Prometheus
import Logging
import Foundation
import TacitStore
import TacitWire

/// Sending and acknowledging messages.
struct DeliveryRequests: Sendable {
    /// The most queue ids one acknowledgement may carry.
    static let maxAcknowledgements = 10_000

    let context: ServerContext

    /// Stores the message durably for every recipient, then tells the online ones.
    /// The sender is always the connection's device: no request field can change it.
    func send(_ request: WireSendRequest, from device: AuthenticatedDevice,
              now: Date) async throws(RequestFailure) -> WireSendResponse {
        let rules = SendRules(maxBodyBytes: context.configuration.maxEnvelopeBytes,
                              maxRecipients: context.configuration.maxRecipients)
        let send = try rules.validate(request)
        let message = OutgoingMessage(sender: device.id, clientMessageID: send.clientMessageID,
                                      recipients: send.recipients, body: send.body, receivedAt: now,
                                      epochClaim: send.epochClaim, additional: send.additional)
        let result: EnqueueResult
        do throws(RequestFailure) {
            result = try await context.storeCall("enqueue") { try await $0.enqueue(message) }
        } catch {
            if send.epochClaim != nil { count(error) }
            throw error
        }
        if !result.duplicate {
            context.metrics.messagesReceived.increment()
            if send.epochClaim != nil { context.metrics.epochCommits.increment() }
        }
        context.live.nudge(send.allRecipients)
        var response = WireSendResponse()
        response.serverTimeMs = WireTime.milliseconds(now)
        response.duplicate = result.duplicate
        return response
    }

    /// Counts why an epoch claim lost.
    private func count(_ failure: RequestFailure) {
        switch failure.code {
        case .staleEpoch: context.metrics.staleEpochs.increment()
        case .forbidden: context.metrics.epochTokenMismatches.increment()
        default: break
        }
    }

    /// Deletes entries of the connection's own queue; ids of other queues are ignored.
    func acknowledge(_ request: WireAckRequest,
                     from device: AuthenticatedDevice) async throws(RequestFailure) -> WireAckResponse {
        guard request.queueIds.count <= Self.maxAcknowledgements else {
            throw .tooLarge("acknowledge at most \(Self.maxAcknowledgements) entries at once, "
                                + "not \(request.queueIds.count)")
        }
        if !request.queueIds.isEmpty {
            let ids = request.queueIds
            _ = try await context.storeCall("acknowledge") { try await $0.acknowledge(device: device.id, queueIDs: ids) }
        }
        return WireAckResponse()
    }
}
