import Crypto
import Foundation
import TacitWire

/// Checks a ``WireDeviceProof``: the device signed this connection's challenge, for this
/// server, recently, with the key it claims.
struct DeviceProofVerifier: Sendable {
    /// The server's public identity key (part of what devices sign).
    var serverKey: [UInt8]
    /// How far the proof's timestamp may be from the server's clock.
    var allowedSkew: Duration

    /// Returns the proven 32-byte device key, or throws `UNAUTHENTICATED` / `BAD_REQUEST`.
    func verify(_ proof: WireDeviceProof, challenge: [UInt8], now: Date) throws(RequestFailure) -> [UInt8] {
        let deviceKey = Array(proof.deviceKey)
        guard deviceKey.count == 32 else {
            throw .badRequest("a device key has 32 bytes, not \(deviceKey.count)")
        }
        guard proof.signature.count == 64 else {
            throw .badRequest("an Ed25519 signature has 64 bytes, not \(proof.signature.count)")
        }
        let nowMs = Int64(clamping: WireTime.milliseconds(now))
        let offsetMs = Int64(clamping: proof.timestampMs) &- nowMs
        guard offsetMs.magnitude <= allowedSkew.milliseconds.magnitude else {
            throw .unauthenticated(
                "the proof's timestamp is \(offsetMs / 1000) s away from the server's clock "
                    + "(allowed: ±\(allowedSkew.milliseconds / 1000) s); check the device's clock")
        }
        let transcript = SignedMessages.deviceAuth(serverKey: serverKey, challenge: challenge,
                                                   timestampMs: proof.timestampMs, deviceKey: deviceKey)
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: deviceKey),
              key.isValidSignature(proof.signature, for: transcript) else {
            throw .unauthenticated("the device signature does not verify for this connection's challenge")
        }
        return deviceKey
    }
}
