import Foundation
import TacitStore

/// Test data. Dates are whole seconds so every backend stores them exactly.
enum Fixtures {
    static let epoch = Date(timeIntervalSince1970: 1_750_000_000)

    static func date(_ seconds: Int) -> Date {
        epoch.addingTimeInterval(TimeInterval(seconds))
    }

    static func randomBytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: .min ... .max) }
    }

    static func newDevice(_ name: String = "laptop", createdAt: Int = 0) -> NewDevice {
        NewDevice(identityKey: randomBytes(32), name: name, createdAt: date(createdAt))
    }

    static func deviceList(version: UInt64) -> StoredDeviceList {
        StoredDeviceList(version: version, signedList: randomBytes(48))
    }

    static func message(from sender: DeviceID, to recipients: [DeviceID], id: String,
                        body: [UInt8]? = nil, at seconds: Int = 0) -> OutgoingMessage {
        OutgoingMessage(sender: sender, clientMessageID: Array(id.utf8), recipients: recipients,
                        body: body ?? Array("body of \(id)".utf8), receivedAt: date(seconds))
    }
}

extension TacitStore {
    /// Creates an account with one device and a version-1 device list.
    func makeAccount(_ username: String, createdAt: Int = 0) async throws -> DeviceRecord {
        try await createAccount(username: username, device: Fixtures.newDevice(createdAt: createdAt),
                                deviceList: Fixtures.deviceList(version: 1))
    }

    /// Creates `count` accounts of one device each.
    func makeDevices(_ count: Int, prefix: String = "user") async throws -> [DeviceRecord] {
        var devices: [DeviceRecord] = []
        for index in 0..<count {
            devices.append(try await makeAccount("\(prefix)\(index)"))
        }
        return devices
    }

    /// Every entry queued for `device`, following the cursor page by page.
    func allPending(for device: DeviceID, pageSize: Int = 100) async throws -> [QueuedMessage] {
        var all: [QueuedMessage] = []
        var cursor: QueueID = 0
        while true {
            let page = try await pending(for: device, after: cursor, limit: pageSize)
            all += page
            guard let last = page.last, page.count == pageSize else { return all }
            cursor = last.queueID
        }
    }
}
