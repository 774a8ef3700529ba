import Crypto
import Foundation
import NIOCore
import TacitWire

extension BenchSocket {
    /// Hello, then checks the Challenge the way a client does (its signature over our nonce).
    func hello() async throws -> WireChallenge {
        var hello = WireHello()
        hello.versions = WireProtocol.supportedVersions
        let nonce = (0..<WireProtocol.nonceLength).map { _ in UInt8.random(in: .min ... .max) }
        hello.clientNonce = Data(nonce)
        let answer = try await request(.hello(hello)).get()
        guard case .challenge(let challenge) = answer.body else { throw Self.unexpected(answer, "a Challenge") }
        let signed = SignedMessages.serverProof(clientNonce: nonce, challenge: Array(challenge.challenge))
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: challenge.serverKey),
              key.isValidSignature(challenge.serverSignature, for: signed) else {
            throw BenchError.protocolViolation("the server's challenge signature does not verify")
        }
        return challenge
    }

    /// Creates `device`'s account over this fresh socket; returns the new device id. The
    /// socket is authenticated afterwards.
    func register(_ device: BenchDevice) async throws -> UInt64 {
        let challenge = try await hello()
        var register = WireRegister()
        register.username = device.username
        register.proof = try device.proof(for: challenge)
        register.deviceList = try device.firstDeviceList()
        return try Self.authResult(try await request(.register(register)).get()).deviceID
    }

    /// Logs in as the registered `device` over this fresh socket.
    func authenticate(_ device: BenchDevice) async throws {
        let challenge = try await hello()
        var authenticate = WireAuthenticate()
        authenticate.deviceID = device.deviceID
        authenticate.proof = try device.proof(for: challenge)
        _ = try Self.authResult(try await request(.authenticate(authenticate)).get())
    }

    private static func authResult(_ answer: WireServerFrame) throws -> WireAuthResult {
        guard case .authResult(let result) = answer.body else { throw unexpected(answer, "an AuthResult") }
        return result
    }

    static func unexpected(_ frame: WireServerFrame, _ expected: String) -> BenchError {
        if case .error(let error) = frame.body { return .server(error) }
        return .protocolViolation("expected \(expected), got \(frame.body.map { String(describing: $0) } ?? "nothing")")
    }
}
