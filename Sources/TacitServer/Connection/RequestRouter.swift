import Foundation
import TacitStore
import TacitWire

/// Runs one authenticated request and says how to answer it.
struct RequestRouter: Sendable {
    enum Outcome: Sendable, Equatable {
        case respond(WireServerFrame.OneOf_Body)
        /// Answer, then close the socket (the device revoked itself).
        case respondThenClose(WireServerFrame.OneOf_Body, CloseReason)
    }

    let context: ServerContext

    func handle(_ request: WireClientFrame.OneOf_Body, from device: AuthenticatedDevice,
                now: Date) async -> Outcome {
        do throws(RequestFailure) {
            switch request {
            case .send(let send):
                return .respond(.send(try await DeliveryRequests(context: context).send(send, from: device, now: now)))
            case .ack(let ack):
                return .respond(.ack(try await DeliveryRequests(context: context).acknowledge(ack, from: device)))
            case .lookup(let lookup):
                return .respond(.lookup(try await DirectoryRequests(context: context).lookup(lookup)))
            case .listDevices:
                return .respond(.listDevices(try await DirectoryRequests(context: context).listDevices(of: device)))
            case .createLinkCode:
                return .respond(.createLinkCode(
                    try await LinkRequests(context: context).createLinkCode(for: device, now: now)))
            case .approveLink(let approve):
                return .respond(.approveLink(
                    try await LinkRequests(context: context).approveLink(approve, by: device, now: now)))
            case .revokeDevice(let revoke):
                let outcome = try await RevokeRequests(context: context).revokeDevice(revoke, by: device)
                return outcome.revokedSelf
                    ? .respondThenClose(.revokeDevice(outcome.response),
                                        CloseReason(code: .deviceRevoked, reason: "this device was revoked"))
                    : .respond(.revokeDevice(outcome.response))
            case .ping:
                var pong = WirePingResponse()
                pong.serverTimeMs = WireTime.milliseconds(now)
                return .respond(.ping(pong))
            case .publishKeyPackages(let publish):
                return .respond(.publishKeyPackages(
                    try await KeyPackageRequests(context: context).publish(publish, from: device, now: now)))
            case .keyPackageStock:
                return .respond(.keyPackageStock(try await KeyPackageRequests(context: context).stock(of: device)))
            case .claimKeyPackages(let claim):
                return .respond(.claimKeyPackages(try await KeyPackageRequests(context: context).claim(claim)))
            case .hello, .authenticate, .register, .claimLinkCode:
                throw .badRequest("this connection is authenticated already")
            }
        } catch {
            return .respond(.error(error.wire))
        }
    }
}
