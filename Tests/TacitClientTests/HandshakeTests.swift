import Foundation
import Testing
import TacitWire
@testable import TacitClient

@Suite struct HandshakeTests {
    let server = DeviceIdentity()
    let nonce = Handshake.randomNonce()
    let challengeBytes = Handshake.randomNonce()
    let url = try! ServerURL("ws://127.0.0.1:1")

    func challengeFrame(signedBy signer: DeviceIdentity? = nil, version: UInt32 = 1) throws -> WireServerFrame {
        var challenge = WireChallenge()
        challenge.version = version
        challenge.serverKey = Data(server.publicKey)
        challenge.challenge = Data(challengeBytes)
        challenge.serverSignature = Data(try (signer ?? server).sign(
            SignedMessages.serverProof(clientNonce: nonce, challenge: challengeBytes)))
        var frame = WireServerFrame()
        frame.requestID = 1
        frame.challenge = challenge
        return frame
    }

    @Test func firstContactIsAccepted() throws {
        let verified = try Handshake.verify(challengeFrame(), clientNonce: nonce, pinnedKey: nil, server: url)
        #expect(verified.isFirstContact)
        #expect(verified.serverKey == server.publicKey)
    }

    @Test func matchingPinIsAccepted() throws {
        let verified = try Handshake.verify(challengeFrame(), clientNonce: nonce, pinnedKey: server.publicKey, server: url)
        #expect(!verified.isFirstContact)
    }

    @Test func changedKeyIsRefusedWithAClearError() throws {
        let pinned = DeviceIdentity().publicKey
        let error = #expect(throws: ClientError.self) {
            try Handshake.verify(challengeFrame(), clientNonce: nonce, pinnedKey: pinned, server: url)
        }
        #expect(error == .serverIdentityChanged(server: url.base, pinned: pinned, presented: server.publicKey))
        let text = error?.description ?? ""
        #expect(text.contains(pinned.hexString) && text.contains(server.publicKey.hexString))
        #expect(text.contains("tacit account trust-server"))
    }

    @Test func aSignatureByAnotherKeyIsRefused() throws {
        #expect(throws: ClientError.serverSignatureInvalid) {
            try Handshake.verify(challengeFrame(signedBy: DeviceIdentity()), clientNonce: nonce, pinnedKey: nil, server: url)
        }
    }

    @Test func aSignatureOverAnotherNonceIsRefused() throws {
        #expect(throws: ClientError.serverSignatureInvalid) {
            try Handshake.verify(challengeFrame(), clientNonce: Handshake.randomNonce(), pinnedKey: nil, server: url)
        }
    }

    @Test func anUnknownVersionIsRefused() throws {
        #expect(throws: ClientError.unsupportedVersion(offered: 99)) {
            try Handshake.verify(challengeFrame(version: 99), clientNonce: nonce, pinnedKey: nil, server: url)
        }
    }

    @Test func aServerErrorIsPassedOn() throws {
        var frame = WireServerFrame()
        frame.requestID = 1
        var error = WireError()
        error.code = .unsupportedVersion
        error.message = "no common version"
        frame.error = error
        #expect(throws: ClientError.server(ServerError(code: .unsupportedVersion, message: "no common version",
                                                       retryable: false))) {
            try Handshake.verify(frame, clientNonce: nonce, pinnedKey: nil, server: url)
        }
    }

    @Test func theDeviceProofVerifiesOverTheTranscript() throws {
        let device = DeviceIdentity()
        let verified = try Handshake.verify(challengeFrame(), clientNonce: nonce, pinnedKey: nil, server: url)
        let now = Date(timeIntervalSince1970: 1_700_000_000.5)
        let proof = try Handshake.proof(for: verified, identity: device, now: now)
        #expect(proof.timestampMs == 1_700_000_000_500)
        let transcript = SignedMessages.deviceAuth(serverKey: server.publicKey, challenge: challengeBytes,
                                                   timestampMs: proof.timestampMs, deviceKey: device.publicKey)
        #expect(DeviceIdentity.isValid(signature: proof.signature, by: device.publicKey, over: transcript))
        #expect(Array(proof.deviceKey) == device.publicKey)
    }

    @Test func authFramesCarryTheRequest() throws {
        let device = DeviceIdentity()
        let verified = try Handshake.verify(challengeFrame(), clientNonce: nonce, pinnedKey: nil, server: url)
        let frame = try Handshake.authFrame(.authenticate(deviceID: 42), challenge: verified, identity: device, now: Date())
        guard case .authenticate(let body) = frame.body else {
            Issue.record("not an Authenticate frame")
            return
        }
        #expect(body.deviceID == 42 && frame.requestID != 0)
    }
}
