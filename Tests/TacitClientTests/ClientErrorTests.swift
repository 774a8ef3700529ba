import Testing
import TacitWire
@testable import TacitClient

@Suite struct ClientErrorTests {
    func wire(_ code: WireError.Code, retryable: Bool = false, epoch: UInt64 = 0) -> WireError {
        var error = WireError()
        error.code = code
        error.message = "because"
        error.retryable = retryable
        error.currentEpoch = epoch
        return error
    }

    @Test func serverCodesMapOneToOne() {
        #expect(ServerError(wire(.badRequest)).code == .badRequest)
        #expect(ServerError(wire(.unauthenticated)).code == .unauthenticated)
        #expect(ServerError(wire(.staleEpoch, epoch: 9)).code == .staleEpoch(current: 9))
        #expect(ServerError(wire(.conflict)).code == .conflict)
        #expect(ServerError(wire(.UNRECOGNIZED(77))).code == .unknown(77))
        #expect(ServerError(wire(.retryLater, retryable: true)).message == "because")
    }

    @Test func retryabilityFollowsTheServerAndTheTransport() {
        #expect(ClientError.server(ServerError(wire(.retryLater, retryable: true))).isRetryable)
        #expect(!ClientError.server(ServerError(wire(.forbidden))).isRetryable)
        #expect(ClientError.connectionLost.isRetryable)
        #expect(ClientError.timedOut.isRetryable)
        #expect(ClientError.connectionFailed("refused").isRetryable)
        #expect(!ClientError.serverIdentityChanged(server: "ws://x", pinned: [1], presented: [2]).isRetryable)
        #expect(!ClientError.deviceRevoked.isRetryable)
    }

    @Test func reconnectingStopsOnlyForProblemsWaitingCannotFix() {
        #expect(TacitClient.shouldReconnect(after: .connectionLost))
        #expect(TacitClient.shouldReconnect(after: .connectionFailed("refused")))
        #expect(TacitClient.shouldReconnect(after: .server(ServerError(wire(.internal)))))
        #expect(TacitClient.shouldReconnect(after: .server(ServerError(wire(.rateLimited)))))
        #expect(!TacitClient.shouldReconnect(after: .server(ServerError(wire(.unauthenticated)))))
        #expect(!TacitClient.shouldReconnect(after: .serverIdentityChanged(server: "ws://x", pinned: [1], presented: [2])))
        #expect(!TacitClient.shouldReconnect(after: .serverSignatureInvalid))
        #expect(!TacitClient.shouldReconnect(after: .deviceRevoked))
        #expect(!TacitClient.shouldReconnect(after: .replacedByNewerConnection))
    }
}
