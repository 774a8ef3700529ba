import Crypto
import Foundation
import TacitStore
import TacitWire
import Testing

@testable import TacitServer

/// The handshake rules, driven through the pure state machine without sockets or store.
@Suite struct ConnectionStateMachineTests {
    let identity = ServerIdentity()
    let challengeBytes = (0..<32).map { UInt8($0) }
    let now = Date(timeIntervalSince1970: 1_700_000_000)
    let device = TestDevice(name: "phone")

    func makeMachine() -> ConnectionStateMachine {
        ConnectionStateMachine(identity: identity, challenge: challengeBytes, allowedSkew: .seconds(300))
    }

    /// A machine that answered Hello; returns it with the challenge it sent.
    func greeted() throws -> (ConnectionStateMachine, WireChallenge) {
        var machine = makeMachine()
        let actions = machine.receive(.frame(WireClientFrame(requestID: 1, body: .hello())), now: now)
        guard case .send(let frame) = try #require(actions.first), case .challenge(let challenge) = frame.body else {
            Issue.record("expected a challenge, got \(actions)")
            throw TestSocket.Failure.closed
        }
        return (machine, challenge)
    }

    func errorCode(_ actions: [ConnectionStateMachine.Action]) -> WireError.Code? {
        for case .send(let frame) in actions {
            if case .error(let error) = frame.body { return error.code }
        }
        return nil
    }

    func closeCode(_ actions: [ConnectionStateMachine.Action]) -> WireCloseCode? {
        for case .close(let reason) in actions { return reason.code }
        return nil
    }

    func record(id: DeviceID = 7, key: [UInt8]? = nil, revoked: Bool = false) -> DeviceRecord {
        DeviceRecord(id: id, username: "alice", identityKey: key ?? device.publicKey, name: "phone",
                     createdAt: now, revokedAt: revoked ? now : nil)
    }

    @Test func helloGetsASignedChallenge() throws {
        var machine = makeMachine()
        let nonce = randomBytes(32)
        let actions = machine.receive(.frame(WireClientFrame(requestID: 5, body: .hello(nonce: nonce))), now: now)
        #expect(actions.count == 1)
        guard case .send(let frame) = try #require(actions.first), case .challenge(let challenge) = frame.body else {
            Issue.record("expected a challenge, got \(actions)")
            return
        }
        #expect(frame.requestID == 5)
        #expect(challenge.version == 1)
        #expect(Array(challenge.challenge) == challengeBytes)
        #expect(Array(challenge.serverKey) == identity.publicKey)
        #expect(challenge.serverTimeMs == WireTime.milliseconds(now))
        let key = try Curve25519.Signing.PublicKey(rawRepresentation: identity.publicKey)
        #expect(key.isValidSignature(challenge.serverSignature,
                                     for: SignedMessages.serverProof(clientNonce: nonce, challenge: challengeBytes)))
        #expect(machine.state == .awaitingProof)
    }

    @Test func unknownVersionsOnlyAreRefusedAndClosed() {
        var machine = makeMachine()
        let actions = machine.receive(.frame(WireClientFrame(requestID: 1, body: .hello(versions: [7, 9]))), now: now)
        #expect(errorCode(actions) == .unsupportedVersion)
        #expect(closeCode(actions) == .unsupportedVersion)
        #expect(machine.state == .closed)
    }

    @Test func theHighestCommonVersionIsChosen() throws {
        var machine = ConnectionStateMachine(identity: identity, challenge: challengeBytes, allowedSkew: .seconds(1),
                                             supportedVersions: [1, 2])
        let actions = machine.receive(.frame(WireClientFrame(requestID: 1, body: .hello(versions: [1, 2, 3]))), now: now)
        guard case .send(let frame) = try #require(actions.first), case .challenge(let challenge) = frame.body else {
            Issue.record("expected a challenge")
            return
        }
        #expect(challenge.version == 2)
    }

    @Test func aShortNonceIsABadRequestAndTheConnectionWaitsForHello() {
        var machine = makeMachine()
        let actions = machine.receive(.frame(WireClientFrame(requestID: 1, body: .hello(nonce: [1, 2, 3]))), now: now)
        #expect(errorCode(actions) == .badRequest)
        #expect(closeCode(actions) == nil)
        #expect(machine.state == .awaitingHello)
    }

    @Test func requestsBeforeAuthenticationAreUnauthenticated() throws {
        var machine = makeMachine()
        #expect(errorCode(machine.receive(.frame(WireClientFrame(requestID: 2, body: .ping)), now: now)) == .unauthenticated)
        #expect(machine.state == .awaitingHello)
        var (greeted, _) = try greeted()
        let send = greeted.receive(.frame(WireClientFrame(requestID: 3, body: .send(to: [1], body: [1]))), now: now)
        #expect(send.count == 1)
        #expect(errorCode(send) == .unauthenticated)
        #expect(greeted.state == .awaitingProof)
    }

    @Test func emptyAndMalformedFramesAreBadRequestsThatKeepTheConnection() throws {
        var (machine, _) = try greeted()
        let empty = machine.receive(.frame(WireClientFrame()), now: now)
        #expect(errorCode(empty) == .badRequest)
        #expect(errorCode(machine.receive(.malformedFrame, now: now)) == .badRequest)
        #expect(machine.state == .awaitingProof)
    }

    @Test func aValidProofLooksTheDeviceUp() throws {
        var (machine, challenge) = try greeted()
        let actions = machine.receive(.frame(WireClientFrame(requestID: 9, body: device.authenticate(
            deviceID: 7, challenge: challenge, at: now))), now: now)
        #expect(actions == [.lookUpDevice(7)])
        let done = machine.receive(.deviceLookedUp(.success(record())), now: now)
        var result = WireAuthResult()
        result.username = "alice"
        result.deviceID = 7
        #expect(done == [.send(WireServerFrame(requestID: 9, body: .authResult(result))),
                         .attach(AuthenticatedDevice(id: 7, username: "alice", identityKey: device.publicKey))])
        #expect(machine.device?.id == 7)
    }

    @Test func aProofSignedByAnotherKeyIsRefused() throws {
        var (machine, challenge) = try greeted()
        var request = WireAuthenticate()
        request.deviceID = 7
        request.proof = device.proof(for: challenge, at: now)
        request.proof.signature = TestDevice().sign(SignedMessages.deviceAuth(
            serverKey: identity.publicKey, challenge: challengeBytes, timestampMs: request.proof.timestampMs,
            deviceKey: device.publicKey))
        let actions = machine.receive(.frame(WireClientFrame(requestID: 2, body: .authenticate(request))), now: now)
        #expect(errorCode(actions) == .unauthenticated)
        #expect(closeCode(actions) == .authenticationFailed)
    }

    @Test func aProofOverAnotherChallengeIsRefused() throws {
        var (machine, challenge) = try greeted()
        var other = challenge
        other.challenge = Data(randomBytes(32))
        let actions = machine.receive(.frame(WireClientFrame(requestID: 2, body: device.authenticate(
            deviceID: 7, challenge: other, at: now))), now: now)
        #expect(errorCode(actions) == .unauthenticated)
    }

    @Test(arguments: [-301, 301, -3600, 86400])
    func aStaleOrFutureTimestampIsRefused(offsetSeconds: Int) throws {
        var (machine, challenge) = try greeted()
        let actions = machine.receive(.frame(WireClientFrame(requestID: 2, body: device.authenticate(
            deviceID: 7, challenge: challenge, at: now.addingTimeInterval(Double(offsetSeconds))))), now: now)
        #expect(errorCode(actions) == .unauthenticated)
        #expect(closeCode(actions) == .authenticationFailed)
    }

    @Test func aTimestampWithinTheSkewIsAccepted() throws {
        var (machine, challenge) = try greeted()
        let actions = machine.receive(.frame(WireClientFrame(requestID: 2, body: device.authenticate(
            deviceID: 7, challenge: challenge, at: now.addingTimeInterval(-299)))), now: now)
        #expect(actions == [.lookUpDevice(7)])
    }

    @Test func theChallengeIsSpentByTheFirstAttempt() throws {
        var (machine, challenge) = try greeted()
        let frame = WireClientFrame(requestID: 2, body: device.authenticate(deviceID: 7, challenge: challenge, at: now))
        _ = machine.receive(.frame(frame), now: now)
        // A second attempt while the first is verified: refused, nothing looked up.
        let again = machine.receive(.frame(frame), now: now)
        #expect(errorCode(again) == .unauthenticated)
        #expect(!again.contains(.lookUpDevice(7)))
        // A failed attempt closes; nothing afterwards is processed.
        _ = machine.receive(.deviceLookedUp(.success(nil)), now: now)
        #expect(machine.state == .closed)
        #expect(machine.receive(.frame(frame), now: now).isEmpty)
    }

    @Test func unknownDeviceMismatchedKeyAndRevokedDeviceAreRefused() throws {
        for (answer, code, close) in [
            (nil as DeviceRecord?, WireError.Code.unauthenticated, WireCloseCode.authenticationFailed),
            (record(key: TestDevice().publicKey), .unauthenticated, .authenticationFailed),
            (record(revoked: true), .forbidden, .deviceRevoked),
        ] {
            var (machine, challenge) = try greeted()
            _ = machine.receive(.frame(WireClientFrame(requestID: 2, body: device.authenticate(
                deviceID: 7, challenge: challenge, at: now))), now: now)
            let actions = machine.receive(.deviceLookedUp(.success(answer)), now: now)
            #expect(errorCode(actions) == code)
            #expect(closeCode(actions) == close)
            #expect(machine.device == nil)
        }
    }

    @Test func aStoreFailureDuringAuthenticationIsRetryable() throws {
        var (machine, challenge) = try greeted()
        _ = machine.receive(.frame(WireClientFrame(requestID: 2, body: device.authenticate(
            deviceID: 7, challenge: challenge, at: now))), now: now)
        let actions = machine.receive(.deviceLookedUp(.failure(StoreError.unavailable("disk"))), now: now)
        #expect(errorCode(actions) == .retryLater)
    }

    @Test func registrationNormalizesTheUsernameAndChecksTheFirstList() throws {
        var (machine, challenge) = try greeted()
        let actions = machine.receive(.frame(WireClientFrame(requestID: 3, body: device.register(
            username: "Alice", challenge: challenge, at: now))), now: now)
        guard case .createAccount(let username, let newDevice, let list) = try #require(actions.first) else {
            Issue.record("expected createAccount, got \(actions)")
            return
        }
        #expect(username == "alice")
        #expect(newDevice.identityKey == device.publicKey)
        #expect(newDevice.name == "phone")
        #expect(list.version == 1)
        let signed = try WireCoding.decode(WireSignedDeviceList.self, from: list.signedList)
        #expect(Array(signed.signerKey) == device.publicKey)
        let taken = machine.receive(.accountCreated(.failure(StoreError.usernameTaken)), now: now)
        #expect(errorCode(taken) == .conflict)
    }

    @Test func registrationRefusesBadUsernamesAndBadLists() throws {
        let other = TestDevice()
        let cases: [(WireChallenge) -> WireClientFrame.OneOf_Body] = [
            { device.register(username: "ab", challenge: $0, at: now) },
            { device.register(username: "admin", challenge: $0, at: now) },
            { device.register(username: "bad name", challenge: $0, at: now) },
            { device.register(username: "alice", challenge: $0, listName: "bob", at: now) },
            { challenge in
                guard case .register(var request) = device.register(username: "alice", challenge: challenge, at: now) else {
                    return .ping
                }
                request.deviceList = device.signList(username: "alice", version: 2, devices: [device])
                return .register(request)
            },
            { challenge in
                guard case .register(var request) = device.register(username: "alice", challenge: challenge, at: now) else {
                    return .ping
                }
                request.deviceList = device.signList(username: "alice", version: 1, devices: [device, other])
                return .register(request)
            },
            { challenge in
                guard case .register(var request) = device.register(username: "alice", challenge: challenge, at: now) else {
                    return .ping
                }
                request.deviceList = other.signList(username: "alice", version: 1, devices: [device])
                return .register(request)
            },
        ]
        for (index, make) in cases.enumerated() {
            var (machine, challenge) = try greeted()
            let actions = machine.receive(.frame(WireClientFrame(requestID: 3, body: make(challenge))), now: now)
            #expect(errorCode(actions) == .badRequest, "case \(index)")
            #expect(closeCode(actions) == .authenticationFailed, "case \(index)")
        }
    }

    @Test func aClaimWaitsForApprovalOrExpiry() throws {
        var (machine, challenge) = try greeted()
        let claim = machine.receive(.frame(WireClientFrame(requestID: 4, body: device.claim(
            code: "abcd efgh jkmn", challenge: challenge, at: now))), now: now)
        #expect(claim == [.claimLinkCode(code: "ABCD-EFGH-JKMN", deviceKey: device.publicKey, deviceName: "phone")])
        let link = LinkCode(code: "ABCD-EFGH-JKMN", username: "alice", creatorDevice: 1, expiresAt: now,
                            claimedDeviceKey: device.publicKey, claimedDeviceName: "phone")
        #expect(machine.receive(.linkClaimed(.success(link)), now: now) == [.awaitLinkApproval(link)])
        #expect(errorCode(machine.receive(.frame(WireClientFrame(requestID: 5, body: .ping)), now: now)) == .unauthenticated)
        var expiring = machine
        let expired = expiring.receive(.linkExpired, now: now)
        #expect(errorCode(expired) == .notFound)
        #expect(closeCode(expired) == .authenticationFailed)
        let approved = machine.receive(.linkApproved(record(id: 9)), now: now)
        guard case .send(let frame) = try #require(approved.first), case .authResult(let result) = frame.body else {
            Issue.record("expected AuthResult, got \(approved)")
            return
        }
        #expect(frame.requestID == 4)
        #expect(result.deviceID == 9)
        #expect(machine.device?.id == 9)
    }

    @Test func claimsOfUnknownOrUsedCodesFail() throws {
        for (error, code) in [(StoreError.notFound, WireError.Code.notFound), (.conflict, .conflict)] {
            var (machine, challenge) = try greeted()
            _ = machine.receive(.frame(WireClientFrame(requestID: 4, body: device.claim(
                code: "ABCD-EFGH-JKMN", challenge: challenge, at: now))), now: now)
            #expect(errorCode(machine.receive(.linkClaimed(.failure(error)), now: now)) == code)
        }
        var (machine, challenge) = try greeted()
        let malformed = machine.receive(.frame(WireClientFrame(requestID: 4, body: device.claim(
            code: "nope", challenge: challenge, at: now))), now: now)
        #expect(errorCode(malformed) == .badRequest)
    }

    @Test func authenticatedRequestsArePerformedAsTheAuthenticatedDevice() throws {
        var machine = try authenticated()
        let body = WireClientFrame.OneOf_Body.send(to: [3], body: [1, 2, 3])
        let actions = machine.receive(.frame(WireClientFrame(requestID: 11, body: body)), now: now)
        #expect(actions == [.perform(requestID: 11, request: body,
                                     device: AuthenticatedDevice(id: 7, username: "alice", identityKey: device.publicKey))])
        #expect(errorCode(machine.receive(.frame(WireClientFrame(requestID: 0, body: .ping)), now: now)) == .badRequest)
        #expect(errorCode(machine.receive(.frame(WireClientFrame(requestID: 12, body: .hello())), now: now)) == .badRequest)
    }

    @Test func replacementAndRevocationCloseOnlyAuthenticatedConnections() throws {
        var fresh = makeMachine()
        #expect(fresh.receive(.replaced, now: now).isEmpty)
        var replaced = try authenticated()
        #expect(closeCode(replaced.receive(.replaced, now: now)) == .replaced)
        var revoked = try authenticated()
        #expect(closeCode(revoked.receive(.revoked, now: now)) == .deviceRevoked)
        #expect(revoked.state == .closed)
    }

    @Test func theHandshakeTimesOutOnlyBeforeAnAttempt() throws {
        var waiting = makeMachine()
        #expect(closeCode(waiting.receive(.handshakeTimedOut, now: now)) == .handshakeTimeout)
        var done = try authenticated()
        #expect(done.receive(.handshakeTimedOut, now: now).isEmpty)
    }

    func authenticated() throws -> ConnectionStateMachine {
        var (machine, challenge) = try greeted()
        _ = machine.receive(.frame(WireClientFrame(requestID: 2, body: device.authenticate(
            deviceID: 7, challenge: challenge, at: now))), now: now)
        _ = machine.receive(.deviceLookedUp(.success(record())), now: now)
        return machine
    }
}
