import Foundation
import TacitStore
import TacitWire

/// The life of one device socket, as a value: it takes inputs (decoded frames, store
/// answers, events from other connections) and returns the actions the I/O shell
/// (``ConnectionSession``) performs. It never touches a socket, a clock or the store, so
/// every rule of the handshake is tested by feeding it inputs.
///
/// The handshake: `Hello` → `Challenge` (signed by the server) → exactly one attempt to
/// `Authenticate`, `Register` or `ClaimLinkCode` with a proof over this connection's
/// challenge. The challenge is spent by that attempt; a failed attempt closes the socket.
/// Until the attempt succeeds, every other request is answered `UNAUTHENTICATED`.
struct ConnectionStateMachine: Sendable {
    enum State: Sendable, Equatable {
        case awaitingHello
        case awaitingProof
        /// An authentication attempt waits for the store.
        case verifying(PendingAttempt)
        /// A claimed link code waits for an existing device to approve it.
        case awaitingLinkApproval(code: String, requestID: UInt64)
        case authenticated(AuthenticatedDevice)
        case closed
    }

    enum PendingAttempt: Sendable, Equatable {
        case authenticate(requestID: UInt64, deviceID: DeviceID, deviceKey: [UInt8])
        case register(requestID: UInt64, username: String)
        case claim(requestID: UInt64, code: String)
    }

    enum Input: Sendable {
        case frame(WireClientFrame)
        /// Bytes that are not a `ClientFrame`.
        case malformedFrame
        case deviceLookedUp(Result<DeviceRecord?, any Error>)
        case accountCreated(Result<DeviceRecord, any Error>)
        case linkClaimed(Result<LinkCode, any Error>)
        /// An existing device approved this connection's link claim.
        case linkApproved(DeviceRecord)
        case linkExpired
        case handshakeTimedOut
        /// A newer connection authenticated as the same device.
        case replaced
        /// The device was revoked.
        case revoked
    }

    enum Action: Sendable, Equatable {
        case send(WireServerFrame)
        case close(CloseReason)
        /// Answer with ``Input/deviceLookedUp(_:)``.
        case lookUpDevice(DeviceID)
        /// Answer with ``Input/accountCreated(_:)``.
        case createAccount(username: String, device: NewDevice, deviceList: StoredDeviceList)
        /// Answer with ``Input/linkClaimed(_:)``.
        case claimLinkCode(code: String, deviceKey: [UInt8], deviceName: String)
        /// Tell the code's creator about the claim; answer with ``Input/linkApproved(_:)``
        /// or, when the code expires, ``Input/linkExpired``.
        case awaitLinkApproval(LinkCode)
        /// The connection now speaks for `device`: register it and start delivery.
        case attach(AuthenticatedDevice)
        /// Run an authenticated request and answer it.
        case perform(requestID: UInt64, request: WireClientFrame.OneOf_Body, device: AuthenticatedDevice)
    }

    private(set) var state: State = .awaitingHello
    private let identity: ServerIdentity
    private let challenge: [UInt8]
    private let verifier: DeviceProofVerifier
    private let supportedVersions: [UInt32]

    /// - Parameter challenge: this connection's single-use challenge (32 random bytes).
    init(identity: ServerIdentity, challenge: [UInt8], allowedSkew: Duration,
         supportedVersions: [UInt32] = WireProtocol.supportedVersions) {
        self.identity = identity
        self.challenge = challenge
        self.verifier = DeviceProofVerifier(serverKey: identity.publicKey, allowedSkew: allowedSkew)
        self.supportedVersions = supportedVersions
    }

    /// The device this connection acts for, once authenticated.
    var device: AuthenticatedDevice? {
        if case .authenticated(let device) = state { device } else { nil }
    }

    mutating func receive(_ input: Input, now: Date) -> [Action] {
        switch input {
        case .frame(let frame): receive(frame, now: now)
        case .malformedFrame: refuse(.badRequest("the frame is not a valid ClientFrame"), requestID: 0)
        case .deviceLookedUp(let result): deviceLookedUp(result)
        case .accountCreated(let result): accountCreated(result)
        case .linkClaimed(let result): linkClaimed(result)
        case .linkApproved(let record): linkApproved(record)
        case .linkExpired: linkExpired()
        case .handshakeTimedOut: handshakeTimedOut()
        case .replaced: closeAuthenticated(CloseReason(code: .replaced, reason: "a newer connection of this device took over"))
        case .revoked: closeAuthenticated(CloseReason(code: .deviceRevoked, reason: "this device was revoked"))
        }
    }

    // MARK: Frames

    private mutating func receive(_ frame: WireClientFrame, now: Date) -> [Action] {
        let requestID = frame.requestID
        guard let body = frame.body else {
            return refuse(.badRequest("the frame carries no request, or one this server does not know"),
                          requestID: requestID)
        }
        switch state {
        case .closed:
            return []
        case .awaitingHello:
            if case .hello(let hello) = body { return receive(hello, requestID: requestID, now: now) }
            return refuse(.unauthenticated("send Hello first"), requestID: requestID)
        case .awaitingProof:
            switch body {
            case .hello: return refuse(.badRequest("Hello was sent already"), requestID: requestID)
            case .authenticate(let request):
                return begin(requestID: requestID, Result { () throws(RequestFailure) in
                    try authenticate(request, requestID: requestID, now: now)
                })
            case .register(let request):
                return begin(requestID: requestID, Result { () throws(RequestFailure) in
                    try register(request, requestID: requestID, now: now)
                })
            case .claimLinkCode(let request):
                return begin(requestID: requestID, Result { () throws(RequestFailure) in
                    try claim(request, requestID: requestID, now: now)
                })
            default: return refuse(.unauthenticated("authenticate first"), requestID: requestID)
            }
        case .verifying:
            return refuse(.unauthenticated("authentication is in progress"), requestID: requestID)
        case .awaitingLinkApproval:
            return refuse(.unauthenticated("this connection waits for its link code to be approved"),
                          requestID: requestID)
        case .authenticated(let device):
            switch body {
            case .hello, .authenticate, .register, .claimLinkCode:
                return refuse(.badRequest("this connection is authenticated already"), requestID: requestID)
            default:
                guard requestID != 0 else {
                    return refuse(.badRequest("a request needs a non-zero request_id"), requestID: 0)
                }
                return [.perform(requestID: requestID, request: body, device: device)]
            }
        }
    }

    private mutating func receive(_ hello: WireHello, requestID: UInt64, now: Date) -> [Action] {
        guard hello.clientNonce.count == WireProtocol.nonceLength else {
            return refuse(.badRequest("client_nonce has \(WireProtocol.nonceLength) bytes, not \(hello.clientNonce.count)"),
                          requestID: requestID)
        }
        guard let version = hello.versions.filter(supportedVersions.contains).max() else {
            state = .closed
            let failure = RequestFailure(.unsupportedVersion,
                                         "this server speaks protocol versions \(supportedVersions), "
                                             + "the client offered \(hello.versions)")
            return [.send(.error(failure.wire, requestID: requestID)),
                    .close(CloseReason(code: .unsupportedVersion, reason: "no common protocol version"))]
        }
        var message = WireChallenge()
        message.version = version
        message.serverKey = Data(identity.publicKey)
        message.challenge = Data(challenge)
        message.serverTimeMs = WireTime.milliseconds(now)
        message.serverSignature = Data(identity.signature(
            for: SignedMessages.serverProof(clientNonce: Array(hello.clientNonce), challenge: challenge)))
        state = .awaitingProof
        return [.send(WireServerFrame(requestID: requestID, body: .challenge(message)))]
    }

    /// Starts one authentication attempt: it spends the challenge, and a refusal closes the socket.
    private mutating func begin(requestID: UInt64,
                                _ checked: Result<(PendingAttempt, Action), RequestFailure>) -> [Action] {
        switch checked {
        case .success(let (pending, action)):
            state = .verifying(pending)
            return [action]
        case .failure(let failure):
            return fail(failure, requestID: requestID)
        }
    }

    private func authenticate(_ request: WireAuthenticate, requestID: UInt64,
                              now: Date) throws(RequestFailure) -> (PendingAttempt, Action) {
        let key = try verifier.verify(request.proof, challenge: challenge, now: now)
        return (.authenticate(requestID: requestID, deviceID: request.deviceID, deviceKey: key),
                .lookUpDevice(request.deviceID))
    }

    private func register(_ request: WireRegister, requestID: UInt64,
                          now: Date) throws(RequestFailure) -> (PendingAttempt, Action) {
        let key = try verifier.verify(request.proof, challenge: challenge, now: now)
        let username: String
        do {
            username = try Username.normalize(request.username)
        } catch {
            throw .badRequest(error.description)
        }
        let list = try DeviceListRules.verifyFirst(request.deviceList, username: username, deviceKey: key)
        let name = try DeviceName.validate(list.list.devices.first?.name ?? "")
        return (.register(requestID: requestID, username: username),
                .createAccount(username: username,
                               device: NewDevice(identityKey: key, name: name, createdAt: now),
                               deviceList: list.stored))
    }

    private func claim(_ request: WireClaimLinkCode, requestID: UInt64,
                       now: Date) throws(RequestFailure) -> (PendingAttempt, Action) {
        let key = try verifier.verify(request.proof, challenge: challenge, now: now)
        guard let code = LinkCodeFormat.normalize(request.code) else {
            throw .badRequest("that is not a link code (expected something like 7KQM-X3FD-9TZA)")
        }
        let name = try DeviceName.validate(request.deviceName)
        return (.claim(requestID: requestID, code: code),
                .claimLinkCode(code: code, deviceKey: key, deviceName: name))
    }

    // MARK: Store answers

    private mutating func deviceLookedUp(_ result: Result<DeviceRecord?, any Error>) -> [Action] {
        guard case .verifying(.authenticate(let requestID, let deviceID, let key)) = state else { return [] }
        switch result {
        case .failure(let error):
            return fail(.store(error), requestID: requestID)
        case .success(nil):
            return fail(.unauthenticated("there is no device \(deviceID)"), requestID: requestID)
        case .success(let record?):
            guard record.identityKey == key else {
                return fail(.unauthenticated("that key does not belong to device \(deviceID)"), requestID: requestID)
            }
            guard !record.isRevoked else {
                return fail(.forbidden("device \(deviceID) was revoked"), requestID: requestID,
                            close: CloseReason(code: .deviceRevoked, reason: "this device was revoked"))
            }
            return succeed(record, requestID: requestID)
        }
    }

    private mutating func accountCreated(_ result: Result<DeviceRecord, any Error>) -> [Action] {
        guard case .verifying(.register(let requestID, let username)) = state else { return [] }
        switch result {
        case .success(let record):
            return succeed(record, requestID: requestID)
        case .failure(StoreError.usernameTaken):
            return fail(.conflict("the username '\(username)' is taken"), requestID: requestID)
        case .failure(StoreError.conflict):
            return fail(.conflict("this device key is registered already"), requestID: requestID)
        case .failure(let error):
            return fail(.store(error), requestID: requestID)
        }
    }

    private mutating func linkClaimed(_ result: Result<LinkCode, any Error>) -> [Action] {
        guard case .verifying(.claim(let requestID, let code)) = state else { return [] }
        switch result {
        case .success(let link):
            guard link.claimedDeviceKey != nil else {
                return fail(.internal("the claim was not recorded"), requestID: requestID)
            }
            state = .awaitingLinkApproval(code: code, requestID: requestID)
            return [.awaitLinkApproval(link)]
        case .failure(StoreError.notFound):
            return fail(.notFound("unknown or expired link code"), requestID: requestID)
        case .failure(StoreError.conflict):
            return fail(.conflict("this link code was claimed already"), requestID: requestID)
        case .failure(let error):
            return fail(.store(error), requestID: requestID)
        }
    }

    // MARK: Events

    private mutating func linkApproved(_ record: DeviceRecord) -> [Action] {
        guard case .awaitingLinkApproval(_, let requestID) = state else { return [] }
        return succeed(record, requestID: requestID)
    }

    private mutating func linkExpired() -> [Action] {
        guard case .awaitingLinkApproval(_, let requestID) = state else { return [] }
        return fail(.notFound("the link code expired before a device approved it"), requestID: requestID)
    }

    private mutating func handshakeTimedOut() -> [Action] {
        switch state {
        case .awaitingHello, .awaitingProof:
            state = .closed
            return [.send(.error(RequestFailure.unauthenticated("authentication timed out").wire, requestID: 0)),
                    .close(CloseReason(code: .handshakeTimeout, reason: "authentication timed out"))]
        case .verifying, .awaitingLinkApproval, .authenticated, .closed:
            return []
        }
    }

    private mutating func closeAuthenticated(_ reason: CloseReason) -> [Action] {
        guard case .authenticated = state else { return [] }
        state = .closed
        return [.close(reason)]
    }

    // MARK: Outcomes

    private mutating func succeed(_ record: DeviceRecord, requestID: UInt64) -> [Action] {
        let device = AuthenticatedDevice(record)
        state = .authenticated(device)
        var result = WireAuthResult()
        result.username = record.username
        result.deviceID = record.id
        return [.send(WireServerFrame(requestID: requestID, body: .authResult(result))), .attach(device)]
    }

    /// A failed authentication attempt: the answer, then the socket closes.
    private mutating func fail(_ failure: RequestFailure, requestID: UInt64,
                               close: CloseReason? = nil) -> [Action] {
        state = .closed
        let reason = close ?? CloseReason(code: .authenticationFailed, reason: "authentication failed")
        return [.send(.error(failure.wire, requestID: requestID)), .close(reason)]
    }

    /// A refused frame; the connection stays as it was.
    private func refuse(_ failure: RequestFailure, requestID: UInt64) -> [Action] {
        if case .closed = state { return [] }
        return [.send(.error(failure.wire, requestID: requestID))]
    }
}
