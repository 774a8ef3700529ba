import Foundation
import Logging
import TacitWire

extension TacitClient {
    /// This account's devices, verified against the account's signed device list.
    public func devices() async throws(ClientError) -> AccountDevices {
        try await ownDeviceList().devices
    }

    /// The devices of `username`, verified: the list must be signed by one of its devices
    /// and the server must serve exactly the listed devices.
    public func lookup(username: String) async throws(ClientError) -> AccountDevices {
        let normalized: String
        do {
            normalized = try Username.normalize(username)
        } catch {
            throw .invalidUsername(error)
        }
        var request = WireLookupRequest()
        request.username = normalized
        switch try await currentSession().request(.lookup(request)) {
        case .lookup(let response):
            return try DeviceListVerifier.verifiedDevices(username: normalized, served: response.devices,
                                                          signed: response.deviceList)
        default:
            throw .protocolViolation("the answer to Lookup is not a LookupResponse")
        }
    }

    /// Removes a device from the account: signs a device list without it. A device cannot
    /// revoke itself.
    public func revoke(deviceID: DeviceID) async throws(ClientError) {
        guard deviceID != local.account?.deviceID else { throw .cannotRevokeSelf }
        try await retryingConflicts { () async throws(ClientError) in
            let current = try await ownDeviceList()
            guard let device = current.devices.devices.first(where: { $0.id == deviceID }) else {
                throw .unknownDevice(deviceID)
            }
            var request = WireRevokeDeviceRequest()
            request.deviceID = deviceID
            request.deviceList = try DeviceListSigning.removing(key: device.identityKey, from: current.list,
                                                                identity: identity)
            guard case .revokeDevice = try await currentSession().request(.revokeDevice(request)) else {
                throw .protocolViolation("the answer to RevokeDevice is not a RevokeDeviceResponse")
            }
        }
    }

    /// Creates a one-time code for linking a new device to this account.
    ///
    /// Show it to the person at the new device, who enters it there (``link(code:server:)``).
    /// While connected, this client approves the claim of its own code by itself: it signs
    /// the account's device list with the new device added. ``waitForLink(_:)`` reports it.
    public func createLinkCode() async throws(ClientError) -> DeviceLinkCode {
        switch try await currentSession().request(.createLinkCode(WireCreateLinkCodeRequest())) {
        case .createLinkCode(let response):
            ownLinkCodes.insert(response.code)
            return DeviceLinkCode(code: response.code, expires: Date(millisecondsSince1970: response.expiresMs))
        default:
            throw .protocolViolation("the answer to CreateLinkCode is not a CreateLinkCodeResponse")
        }
    }

    /// Waits until a new device claimed `code` and this client approved it; returns that device.
    /// Fails with ``ClientError/timedOut`` once the code expired.
    public func waitForLink(_ code: DeviceLinkCode) async throws(ClientError) -> DeviceInfo {
        if let outcome = linkOutcomes.removeValue(forKey: code.code) { return try outcome.get() }
        guard ownLinkCodes.contains(code.code) else { throw .unknownLinkCode(code.code) }
        let id = UUID()
        let expiry = Task {
            try? await Task.sleep(for: .seconds(max(0, code.expires.timeIntervalSinceNow) + 1))
            guard !Task.isCancelled else { return }
            self.finishLinkWaiter(code.code, id, with: .failure(.timedOut))
        }
        defer { expiry.cancel() }
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<DeviceInfo, ClientError>, Never>) in
                if Task.isCancelled {
                    continuation.resume(returning: .failure(.cancelled))
                } else {
                    linkWaiters[code.code, default: [:]][id] = continuation
                }
            }
        } onCancel: {
            Task { await self.finishLinkWaiter(code.code, id, with: .failure(.cancelled)) }
        }
        return try result.get()
    }

    /// Approves a claim of one of this device's link codes (runs in its own task).
    func approveLink(_ claim: WireLinkRequested) async {
        let outcome: Result<DeviceInfo, ClientError>
        do throws(ClientError) {
            let deviceID = try await retryingConflicts { () async throws(ClientError) -> DeviceID in
                let current = try await ownDeviceList()
                var request = WireApproveLinkRequest()
                request.code = claim.code
                request.deviceList = try DeviceListSigning.adding(key: Array(claim.deviceKey), name: claim.deviceName,
                                                                  to: current.list, identity: identity, now: Date())
                guard case .approveLink(let response) = try await currentSession().request(.approveLink(request)) else {
                    throw .protocolViolation("the answer to ApproveLink is not an ApproveLinkResponse")
                }
                return response.deviceID
            }
            outcome = .success(DeviceInfo(id: deviceID, identityKey: Array(claim.deviceKey), name: claim.deviceName,
                                          created: Date()))
            logger.info("approved a new device", metadata: ["device": "\(deviceID)", "name": "\(claim.deviceName)"])
        } catch {
            logger.error("cannot approve a new device", metadata: ["error": "\(error)"])
            outcome = .failure(error)
        }
        ownLinkCodes.remove(claim.code)
        if let waiters = linkWaiters.removeValue(forKey: claim.code), !waiters.isEmpty {
            for waiter in waiters.values { waiter.resume(returning: outcome) }
        } else {
            linkOutcomes[claim.code] = outcome
        }
    }

    func failLinkWaiters(_ reason: ClientError) {
        let all = linkWaiters
        linkWaiters.removeAll()
        for waiters in all.values {
            for waiter in waiters.values { waiter.resume(returning: .failure(reason)) }
        }
    }

    private func finishLinkWaiter(_ code: String, _ id: UUID, with result: Result<DeviceInfo, ClientError>) {
        linkWaiters[code]?.removeValue(forKey: id)?.resume(returning: result)
    }

    /// The account's current list, verified, with the decoded list to build the next version on.
    private func ownDeviceList() async throws(ClientError) -> (devices: AccountDevices, list: WireDeviceList) {
        guard let account = local.account else { throw .notRegistered }
        switch try await currentSession().request(.listDevices(WireListDevicesRequest())) {
        case .listDevices(let response):
            let list = try DeviceListVerifier.verify(response.deviceList, username: account.username)
            let devices = try DeviceListVerifier.match(served: response.devices, list: list)
            return (AccountDevices(username: account.username, version: list.version, devices: devices,
                                   signerKey: Array(response.deviceList.signerKey)), list)
        default:
            throw .protocolViolation("the answer to ListDevices is not a ListDevicesResponse")
        }
    }

    /// Runs `change` again when another device changed the list at the same moment.
    private func retryingConflicts<T>(_ change: () async throws(ClientError) -> T) async throws(ClientError) -> T {
        var attempt = 0
        while true {
            do throws(ClientError) {
                return try await change()
            } catch .server(let error) where error.code == .conflict && attempt < 3 {
                attempt += 1
            }
        }
    }
}
