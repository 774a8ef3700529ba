import Crypto
import Foundation
import TacitWire

/// A device key as a client holds it, with the signatures the protocol asks of it.
struct TestDevice: Sendable {
    let key: Curve25519.Signing.PrivateKey
    var name: String

    init(name: String = "test device") {
        self.key = Curve25519.Signing.PrivateKey()
        self.name = name
    }

    var publicKey: [UInt8] { Array(key.publicKey.rawRepresentation) }

    func sign(_ message: [UInt8]) -> Data {
        (try? key.signature(for: message)) ?? Data()
    }

    /// A proof over `challenge`, as of `time`.
    func proof(for challenge: WireChallenge, at time: Date = Date()) -> WireDeviceProof {
        var proof = WireDeviceProof()
        proof.deviceKey = Data(publicKey)
        proof.timestampMs = WireTime.milliseconds(time)
        proof.signature = sign(SignedMessages.deviceAuth(serverKey: Array(challenge.serverKey),
                                                         challenge: Array(challenge.challenge),
                                                         timestampMs: proof.timestampMs,
                                                         deviceKey: publicKey))
        return proof
    }

    /// A device list naming `devices`, signed by this device.
    func signList(username: String, version: UInt64, devices: [TestDevice]) -> WireSignedDeviceList {
        var list = WireDeviceList()
        list.username = username
        list.version = version
        list.devices = devices.map { device in
            var entry = WireDeviceEntry()
            entry.identityKey = Data(device.publicKey)
            entry.name = device.name
            entry.createdMs = WireTime.milliseconds(Date())
            return entry
        }
        let bytes = WireCoding.encode(list)
        var signed = WireSignedDeviceList()
        signed.deviceList = Data(bytes)
        signed.signerKey = Data(publicKey)
        signed.signature = sign(SignedMessages.deviceList(bytes))
        return signed
    }

    func authenticate(deviceID: UInt64, challenge: WireChallenge, at time: Date = Date()) -> WireClientFrame.OneOf_Body {
        var request = WireAuthenticate()
        request.deviceID = deviceID
        request.proof = proof(for: challenge, at: time)
        return .authenticate(request)
    }

    func register(username: String, challenge: WireChallenge, listName: String? = nil,
                  at time: Date = Date()) -> WireClientFrame.OneOf_Body {
        var request = WireRegister()
        request.username = username
        request.proof = proof(for: challenge, at: time)
        request.deviceList = signList(username: listName ?? username.lowercased(), version: 1, devices: [self])
        return .register(request)
    }

    func claim(code: String, challenge: WireChallenge, at time: Date = Date()) -> WireClientFrame.OneOf_Body {
        var request = WireClaimLinkCode()
        request.code = code
        request.proof = proof(for: challenge, at: time)
        request.deviceName = name
        return .claimLinkCode(request)
    }
}

extension WireClientFrame.OneOf_Body {
    static func hello(versions: [UInt32] = WireProtocol.supportedVersions,
                      nonce: [UInt8] = (0..<32).map { _ in UInt8.random(in: 0...255) }) -> Self {
        var hello = WireHello()
        hello.versions = versions
        hello.clientNonce = Data(nonce)
        return .hello(hello)
    }

    static var ping: Self { .ping(WirePingRequest()) }

    static func send(to recipients: [UInt64], body: [UInt8], id: [UInt8] = randomMessageID()) -> Self {
        var send = WireSendRequest()
        send.clientMessageID = Data(id)
        send.recipientDeviceIds = recipients
        send.body = Data(body)
        return .send(send)
    }

    static func ack(_ ids: [UInt64]) -> Self {
        var ack = WireAckRequest()
        ack.queueIds = ids
        return .ack(ack)
    }

    static func lookup(_ username: String) -> Self {
        var lookup = WireLookupRequest()
        lookup.username = username
        return .lookup(lookup)
    }
}

func randomMessageID() -> [UInt8] { (0..<16).map { _ in UInt8.random(in: 0...255) } }

func randomBytes(_ count: Int) -> [UInt8] {
    var generator = SystemRandomNumberGenerator()
    return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
}
