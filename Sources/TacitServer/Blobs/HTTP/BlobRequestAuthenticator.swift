import Crypto
import Foundation
import Hummingbird
import TacitWire

/// Checks the `Authorization: Tacit ...` header of a blob request: a known, unrevoked device
/// signed this method, path and these headers, for this server, recently, and never before.
struct BlobRequestAuthenticator: Sendable {
    let serverKey: [UInt8]
    let allowedSkew: Duration
    let directory: any BlobDeviceDirectory
    let replays: BlobReplayGuard

    init(serverKey: [UInt8], allowedSkew: Duration, directory: any BlobDeviceDirectory) {
        self.serverKey = serverKey
        self.allowedSkew = allowedSkew
        self.directory = directory
        self.replays = BlobReplayGuard(skew: allowedSkew)
    }

    /// The device that signed `request`; throws 401 (bad or missing proof), 403 (revoked) or
    /// 500/503 when the directory fails.
    func authenticate(_ request: Request, now: Date = Date()) async throws(BlobHTTPFailure) -> BlobDevice {
        guard let header = request.headers[.authorization] else {
            throw .unauthenticated("blob requests need an `Authorization: Tacit ...` header signed by the device")
        }
        guard let authorization = BlobAuthorization(headerValue: header) else {
            throw .unauthenticated("the Authorization header is not `Tacit device=, ts=, nonce=, sig=`")
        }
        let nowMs = Int64((now.timeIntervalSince1970 * 1000).rounded(.down))
        let offsetMs = Int64(clamping: authorization.timestampMs) &- nowMs
        let skewMs = Int64(allowedSkew.components.seconds) * 1000
        guard offsetMs.magnitude <= skewMs.magnitude else {
            throw .unauthenticated("the request's timestamp is \(offsetMs / 1000) s away from the server's clock "
                + "(allowed: ±\(skewMs / 1000) s); check the device's clock")
        }
        let device: BlobDevice?
        do {
            device = try await directory.device(id: authorization.deviceID)
        } catch {
            throw BlobHTTPFailure(status: .serviceUnavailable, code: "retry-later",
                                  message: "the server's storage is unavailable; try again later",
                                  headers: [("Retry-After", "5")])
        }
        guard let device else { throw .unauthenticated("there is no device \(authorization.deviceID)") }
        let transcript = Self.transcript(of: request, authorization: authorization)
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: device.identityKey),
              key.isValidSignature(authorization.signature, for: transcript.signedBytes(serverKey: serverKey))
        else {
            throw .unauthenticated("the request signature does not verify for device \(authorization.deviceID)")
        }
        guard !device.isRevoked else { throw .forbidden("device \(device.id) was revoked") }
        switch replays.admit(device: device.id, nonce: authorization.nonce) {
        case .accepted: return device
        case .replayed: throw .unauthenticated("this request was sent before (replayed nonce)")
        case .full:
            throw BlobHTTPFailure(status: .serviceUnavailable, code: "retry-later",
                                  message: "the server is busy; try again shortly", headers: [("Retry-After", "1")])
        }
    }

    /// The transcript the device must have signed for `request`.
    static func transcript(of request: Request, authorization: BlobAuthorization) -> BlobRequestTranscript {
        var headers: [String: String] = [:]
        for name in BlobRequestTranscript.signedHeaderNames {
            if let field = BlobFieldName(name), let value = request.headers[field] { headers[name] = value }
        }
        let target = request.head.path ?? request.uri.path
        return BlobRequestTranscript(method: request.method.rawValue, path: target, deviceID: authorization.deviceID,
                                     timestampMs: authorization.timestampMs, nonce: authorization.nonce,
                                     headers: headers)
    }
}
