import Crypto
import Foundation
import TacitServer
import TacitWire
import Testing

@Suite struct HandshakeTests {
    @Test func theChallengeIsFreshAndSignedByTheServerKey() async throws {
        try await withTestServer { server in
            let nonce = randomBytes(32)
            let socket = await server.connect()
            let answer = try await socket.request(.hello(nonce: nonce))
            guard case .challenge(let challenge) = answer.body else {
                Issue.record("expected a challenge, got \(answer)")
                return
            }
            #expect(challenge.version == 1)
            #expect(Array(challenge.serverKey) == server.serverKey)
            #expect(challenge.challenge.count == 32)
            let key = try Curve25519.Signing.PublicKey(rawRepresentation: challenge.serverKey)
            #expect(key.isValidSignature(challenge.serverSignature, for: SignedMessages.serverProof(
                clientNonce: nonce, challenge: Array(challenge.challenge))))
            let (_, other) = try await server.handshake()
            #expect(other.challenge != challenge.challenge)
        }
    }

    @Test func registerThenAuthenticateOnANewConnection() async throws {
        try await withTestServer { server in
            let device = TestDevice(name: "laptop")
            let (first, id) = try await server.register("Alice_1", device)
            await first.close()
            let (socket, challenge) = try await server.handshake()
            let answer = try await socket.request(device.authenticate(deviceID: id, challenge: challenge))
            guard case .authResult(let result) = answer.body else {
                Issue.record("expected AuthResult, got \(answer)")
                return
            }
            #expect(result.username == "alice_1")
            #expect(result.deviceID == id)
            #expect(try await socket.backlog().isEmpty)
            let devices = try await socket.request(.listDevices(WireListDevicesRequest()))
            guard case .listDevices(let list) = devices.body else {
                Issue.record("expected devices, got \(devices)")
                return
            }
            #expect(list.devices.map(\.deviceID) == [id])
            #expect(list.devices.first?.name == "laptop")
            #expect(Array(list.deviceList.signerKey) == device.publicKey)
            let pong = try await socket.request(.ping)
            guard case .ping = pong.body else {
                Issue.record("expected a pong, got \(pong)")
                return
            }
        }
    }

    @Test func unsupportedVersionIsRefusedAndTheServerServesOthers() async throws {
        try await withTestServer { server in
            let socket = await server.connect()
            let answer = try await socket.request(.hello(versions: [2, 99]))
            #expect(answer.error?.code == .unsupportedVersion)
            #expect(answer.error?.message.contains("[1]") == true)
            #expect(try await socket.closeCode() == WireCloseCode.unsupportedVersion.rawValue)
            _ = try await server.register("still_serving", TestDevice())
        }
    }

    @Test func aNewerConnectionOfTheSameDeviceReplacesTheOlder() async throws {
        try await withTestServer { server in
            let device = TestDevice()
            let (older, id) = try await server.register("replaced", device)
            let newer = try await server.authenticate(device, id: id)
            _ = try await newer.backlog()
            let (_, code) = try await older.drainUntilClosed()
            #expect(code == WireCloseCode.replaced.rawValue)
            let pong = try await newer.request(.ping)
            #expect(pong.error == nil)
        }
    }

    @Test func lookupFindsAccountsCaseInsensitively() async throws {
        try await withTestServer { server in
            let bob = TestDevice()
            let (_, bobID) = try await server.register("bob", bob)
            let (alice, _) = try await server.register("alice", TestDevice())
            let found = try await alice.request(.lookup("BOB"))
            guard case .lookup(let lookup) = found.body else {
                Issue.record("expected lookup, got \(found)")
                return
            }
            #expect(lookup.username == "bob")
            #expect(lookup.devices.map(\.deviceID) == [bobID])
            #expect(Array(lookup.devices[0].identityKey) == bob.publicKey)
            let list = try WireCoding.decode(WireDeviceList.self, from: lookup.deviceList.deviceList)
            #expect(list.version == 1)
            #expect(try await alice.request(.lookup("nobody_here")).error?.code == .notFound)
            #expect(try await alice.request(.lookup("x")).error?.code == .badRequest)
        }
    }

    @Test func aSilentConnectionIsClosedAfterTheHandshakeTimeout() async throws {
        try await withTestServer({ $0.handshakeTimeout = .milliseconds(300) }) { server in
            let socket = await server.connect()
            let (frames, code) = try await socket.drainUntilClosed()
            #expect(frames.first?.error?.code == .unauthenticated)
            #expect(code == WireCloseCode.handshakeTimeout.rawValue)
        }
    }
}
