import Foundation
import TacitWire

/// How a connection authenticates once the server proved its identity.
enum AuthRequest: Sendable {
    /// Log in as an existing device.
    case authenticate(deviceID: DeviceID)
    /// Create an account with this device as its first device.
    case register(username: String, deviceList: WireSignedDeviceList)
    /// Join an account with a link code; answered once an existing device approves.
    case claimLinkCode(code: String, deviceName: String)
}

/// A Challenge whose signature verified and whose key matches the pin (or is new).
struct VerifiedChallenge: Sendable, Equatable {
    var version: UInt32
    var serverKey: [UInt8]
    var challenge: [UInt8]
    /// True when nothing was pinned for this server before: trust on first use.
    var isFirstContact: Bool
}

/// The pure steps of the handshake: what to send, and how to judge what comes back.
enum Handshake {
    static func hello(clientNonce: [UInt8]) -> WireClientFrame {
        var hello = WireHello()
        hello.versions = WireProtocol.supportedVersions
        hello.clientNonce = Data(clientNonce)
        var frame = WireClientFrame()
        frame.requestID = 1
        frame.hello = hello
        return frame
    }

    static func randomNonce() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<WireProtocol.nonceLength).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// Checks the server's answer to Hello: a supported version, a signature by the
    /// presented key over our nonce and its challenge, and a key equal to the pinned one.
    static func verify(_ frame: WireServerFrame, clientNonce: [UInt8], pinnedKey: [UInt8]?,
                       server: ServerURL) throws(ClientError) -> VerifiedChallenge {
        let challenge: WireChallenge
        switch frame.body {
        case .challenge(let value): challenge = value
        case .error(let error): throw .server(ServerError(error))
        default: throw .protocolViolation("expected a Challenge, got \(frame.body.map(String.init(describing:)) ?? "an empty frame")")
        }
        guard WireProtocol.supportedVersions.contains(challenge.version) else {
            throw .unsupportedVersion(offered: challenge.version)
        }
        guard challenge.serverKey.count == 32, challenge.challenge.count == WireProtocol.nonceLength else {
            throw .protocolViolation("the Challenge has a malformed key or challenge")
        }
        let signed = SignedMessages.serverProof(clientNonce: clientNonce, challenge: Array(challenge.challenge))
        guard DeviceIdentity.isValid(signature: challenge.serverSignature, by: challenge.serverKey, over: signed) else {
            throw .serverSignatureInvalid
        }
        let presented = Array(challenge.serverKey)
        if let pinnedKey, pinnedKey != presented {
            throw .serverIdentityChanged(server: server.base, pinned: pinnedKey, presented: presented)
        }
        return VerifiedChallenge(version: challenge.version, serverKey: presented,
                                 challenge: Array(challenge.challenge), isFirstContact: pinnedKey == nil)
    }

    /// The device's proof of possession over the AuthTranscript.
    static func proof(for challenge: VerifiedChallenge, identity: DeviceIdentity,
                      now: Date) throws(ClientError) -> WireDeviceProof {
        let timestamp = now.millisecondsSince1970
        let transcript = SignedMessages.deviceAuth(serverKey: challenge.serverKey, challenge: challenge.challenge,
                                                   timestampMs: timestamp, deviceKey: identity.publicKey)
        var proof = WireDeviceProof()
        proof.deviceKey = Data(identity.publicKey)
        proof.timestampMs = timestamp
        proof.signature = Data(try identity.sign(transcript))
        return proof
    }

    /// The authentication frame for `request`.
    static func authFrame(_ request: AuthRequest, challenge: VerifiedChallenge, identity: DeviceIdentity,
                          now: Date) throws(ClientError) -> WireClientFrame {
        let proof = try proof(for: challenge, identity: identity, now: now)
        var frame = WireClientFrame()
        frame.requestID = 2
        switch request {
        case .authenticate(let deviceID):
            var body = WireAuthenticate()
            body.deviceID = deviceID
            body.proof = proof
            frame.authenticate = body
        case .register(let username, let deviceList):
            var body = WireRegister()
            body.username = username
            body.proof = proof
            body.deviceList = deviceList
            frame.register = body
        case .claimLinkCode(let code, let deviceName):
            var body = WireClaimLinkCode()
            body.code = code
            body.proof = proof
            body.deviceName = deviceName
            frame.claimLinkCode = body
        }
        return frame
    }

    /// The server's answer to authentication.
    static func authResult(_ frame: WireServerFrame) throws(ClientError) -> WireAuthResult {
        switch frame.body {
        case .authResult(let result): return result
        case .error(let error): throw .server(ServerError(error))
        default: throw .protocolViolation("expected an AuthResult")
        }
    }
}
