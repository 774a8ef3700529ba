import Foundation
import Logging
import SwiftProtobuf
import TacitMLS
import TacitWire

/// Multi-device: a newly linked device announces itself to its account's other devices, and
/// one of them (the first whose Commit the server accepts) adds it to every conversation. A
/// revoked device is removed from every conversation by the revoking device.
extension Messenger {
    /// On a device that joined an existing account: asks the other devices to add it.
    func announceIfNewDevice() async throws(MessengerError) {
        guard try !store.flag("announced") else { return }
        let devices = try await clientCall { () async throws(ClientError) in try await client.devices() }
        let others = devices.devices.map(\.id).filter { $0 != deviceID }
        if !others.isEmpty {
            var announcement = ContentDeviceAnnouncement()
            announcement.identityKey = Data(client.deviceKey)
            var transport = ContentTransport()
            transport.kind = .deviceAnnouncement(announcement)
            let body = (try? transport.serializedBytes()) ?? [UInt8]()
            _ = try await clientCall { () async throws(ClientError) in try await client.send(to: others, body: body) }
            logger.info("asked this account's other devices to add this one", metadata: ["devices": "\(others.count)"])
        }
        try store.setFlag("announced")
    }

    /// Adds another device of this account to every conversation it is missing from, once
    /// the signed device list confirms it.
    func addOwnDeviceEverywhere(_ device: DeviceID, identityKey: [UInt8]) async {
        do throws(MessengerError) {
            let devices = try await clientCall { () async throws(ClientError) in try await client.devices() }
            guard let info = devices.devices.first(where: { $0.id == device }), info.identityKey == identityKey else {
                logger.warning("ignoring an announcement from a device not in the signed list", metadata: ["device": "\(device)"])
                return
            }
            for conversation in conversations() where conversation.status == .active {
                guard let group = groups[conversation.id], !MemberRoster(group: group).contains(device: device) else { continue }
                let packages = try await claimVerifiedKeyPackages(for: [(username, info)])
                guard !packages.isEmpty else {
                    logger.warning("the new device has no KeyPackages left", metadata: ["device": "\(device)"])
                    return
                }
                do throws(MessengerError) {
                    try await commitRepeatedly(in: conversation.id) { group, _ in
                        MemberRoster(group: group).contains(device: device) ? nil : CommitPlan(adds: Array(packages.values))
                    }
                } catch .notAMember {
                    continue
                }
            }
        } catch {
            logger.warning("cannot add a new device of this account", metadata: ["device": "\(device)", "error": "\(error)"])
        }
    }

    /// Revokes another device of this account and removes it from every conversation, so it
    /// cannot read anything sent afterwards.
    public func revokeDevice(_ device: DeviceID) async throws(MessengerError) {
        try await clientCall { () async throws(ClientError) in try await client.revoke(deviceID: device) }
        try await removeDeviceEverywhere(device)
    }

    /// Removes `device` from every conversation it is in.
    func removeDeviceEverywhere(_ device: DeviceID) async throws(MessengerError) {
        for conversation in conversations() where conversation.status == .active {
            do throws(MessengerError) {
                try await commitRepeatedly(in: conversation.id) { group, _ in
                    let leaves = MemberRoster(group: group).leaves(ofDevice: device)
                    return leaves.isEmpty ? nil : CommitPlan(removes: leaves, excludedRecipients: [device])
                }
            } catch .notAMember {
                continue
            }
        }
    }
}
