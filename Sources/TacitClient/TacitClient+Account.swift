import Foundation
import Logging
import TacitWire

/// The account a device belongs to.
public struct DeviceAccount: Sendable, Equatable {
    /// The account's (normalized) username.
    public var username: String
    /// This device's id in it.
    public var deviceID: DeviceID
}

extension TacitClient {
    /// Creates the account `username` on `server` with this device as its only device.
    ///
    /// The server's identity key is pinned on this first contact.
    /// - Parameter server: needed unless this home already knows its server.
    @discardableResult
    public func register(username: String, server: ServerURL? = nil) async throws(ClientError) -> DeviceAccount {
        guard !isClosed else { throw .closed }
        if let account = local.account { throw .alreadyRegistered(username: account.username) }
        let normalized: String
        do {
            normalized = try Username.normalize(username)
        } catch {
            throw .invalidUsername(error)
        }
        let server = try resolve(server)
        let list = try DeviceListSigning.initial(username: normalized, deviceName: local.deviceName,
                                                 identity: identity, now: Date())
        return try await joinAccount(.register(username: normalized, deviceList: list), server: server,
                                     timeout: options.handshakeTimeout)
    }

    /// Joins an existing account with a link code shown on one of its devices.
    ///
    /// Returns once that device approved (it does so automatically while connected), or
    /// fails when the code is unknown, used or expired.
    @discardableResult
    public func link(code: String, server: ServerURL? = nil) async throws(ClientError) -> DeviceAccount {
        guard !isClosed else { throw .closed }
        if let account = local.account { throw .alreadyRegistered(username: account.username) }
        let server = try resolve(server)
        return try await joinAccount(.claimLinkCode(code: code, deviceName: local.deviceName), server: server,
                                     timeout: options.linkTimeout)
    }

    /// Forgets the pinned server key, so the next connection pins whatever key the server
    /// presents. Use only after the operator confirmed the key change out of band.
    public func forgetServerKey() throws(ClientError) {
        try store.forgetServerKey()
        local = try store.load()
    }

    /// Runs one connection that registers or claims a link code, records the account and
    /// closes again.
    private func joinAccount(_ auth: AuthRequest, server: ServerURL,
                             timeout: Duration) async throws(ClientError) -> DeviceAccount {
        let outcome = LockedBox<DeviceAccount?>(nil)
        let store = self.store
        let parameters = parameters(auth: auth, server: server, pinnedKey: pinnedKey(for: server),
                                    handshakeTimeout: timeout)
        try await SessionRunner.run(parameters, established: { session, challenge throws(ClientError) in
            if challenge.isFirstContact { try store.pinServer(server, key: challenge.serverKey) }
            let account = DeviceAccount(username: session.username, deviceID: session.deviceID)
            try store.saveAccount(LocalAccount(username: account.username, deviceID: account.deviceID))
            outcome.value = account
            session.close()
        }, push: { _, _ in })
        local = try store.load()
        guard let account = outcome.value else { throw .connectionLost }
        logger.info("joined account", metadata: ["username": "\(account.username)", "device": "\(account.deviceID)"])
        return account
    }

    /// The server to use: the one given, else the one this home knows.
    private func resolve(_ server: ServerURL?) throws(ClientError) -> ServerURL {
        guard let server = server ?? local.server else { throw .noServer }
        return server
    }

    /// The pinned key for `server`; nil when this home has not met that server yet.
    func pinnedKey(for server: ServerURL) -> [UInt8]? {
        local.server == server ? local.serverKey : nil
    }
}
