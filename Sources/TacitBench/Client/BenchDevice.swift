import Crypto
import Foundation
import TacitWire

/// A device of a benchmark account: a fresh Ed25519 key and the signatures the protocol asks
/// for, the same ones a real client makes.
public struct BenchDevice: Sendable {
    public let username: String
    private let key: Curve25519.Signing.PrivateKey
    /// Set once the server registered the device.
    public var deviceID: UInt64 = 0

    public init(username: String) {
        self.username = username
        self.key = Curve25519.Signing.PrivateKey()
    }

    public var publicKey: [UInt8] { Array(key.publicKey.rawRepresentation) }

    /// The proof over the AuthTranscript for `challenge`.
    func proof(for challenge: WireChallenge, now: Date = Date()) throws -> WireDeviceProof {
        var proof = WireDeviceProof()
        proof.deviceKey = Data(publicKey)
        proof.timestampMs = WireTime.milliseconds(now)
        let transcript = SignedMessages.deviceAuth(serverKey: Array(challenge.serverKey),
                                                   challenge: Array(challenge.challenge),
                                                   timestampMs: proof.timestampMs, deviceKey: publicKey)
        proof.signature = try key.signature(for: transcript)
        return proof
    }

    /// The account's first device list: version 1, this device only, signed by it.
    func firstDeviceList(now: Date = Date()) throws -> WireSignedDeviceList {
        var entry = WireDeviceEntry()
        entry.identityKey = Data(publicKey)
        entry.name = "bench"
        entry.createdMs = WireTime.milliseconds(now)
        var list = WireDeviceList()
        list.username = username
        list.version = 1
        list.devices = [entry]
        let bytes = WireCoding.encode(list)
        var signed = WireSignedDeviceList()
        signed.deviceList = Data(bytes)
        signed.signerKey = Data(publicKey)
        signed.signature = try key.signature(for: SignedMessages.deviceList(bytes))
        return signed
    }
}

/// Usernames for one benchmark run: a random run prefix keeps runs against the same
/// server from colliding.
public struct BenchUsernames: Sendable {
    public let prefix: String

    public init(prefix: String = BenchUsernames.randomPrefix()) {
        self.prefix = prefix
    }

    public static func randomPrefix() -> String {
        let letters = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        return "b" + String((0..<7).map { _ in letters.randomElement() ?? "x" })
    }

    /// The `index`th name, `<prefix>_<index>` (valid usernames for any index below 10^20).
    public func name(_ index: Int) -> String { "\(prefix)_\(index)" }
}
