import Foundation

/// A device about to be created.
public struct NewDevice: Sendable, Equatable {
    public var identityKey: [UInt8]
    public var name: String
    public var createdAt: Date

    public init(identityKey: [UInt8], name: String, createdAt: Date) {
        self.identityKey = identityKey
        self.name = name
        self.createdAt = createdAt
    }
}

/// A stored device.
public struct DeviceRecord: Sendable, Equatable {
    public var id: DeviceID
    public var username: String
    public var identityKey: [UInt8]
    public var name: String
    public var createdAt: Date
    public var revokedAt: Date?

    public init(id: DeviceID, username: String, identityKey: [UInt8], name: String, createdAt: Date, revokedAt: Date?) {
        self.id = id
        self.username = username
        self.identityKey = identityKey
        self.name = name
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }

    public var isRevoked: Bool { revokedAt != nil }
}

/// An account's signed device list, kept exactly as the device signed it.
public struct StoredDeviceList: Sendable, Equatable {
    public var version: UInt64
    /// The serialized signed list (opaque to the store).
    public var signedList: [UInt8]

    public init(version: UInt64, signedList: [UInt8]) {
        self.version = version
        self.signedList = signedList
    }
}

/// A one-time code that lets a new device join an account.
public struct LinkCode: Sendable, Equatable {
    public var code: String
    public var username: String
    public var creatorDevice: DeviceID
    public var expiresAt: Date
    /// Set once a new device claimed the code.
    public var claimedDeviceKey: [UInt8]?
    public var claimedDeviceName: String?

    public init(code: String, username: String, creatorDevice: DeviceID, expiresAt: Date,
                claimedDeviceKey: [UInt8]? = nil, claimedDeviceName: String? = nil) {
        self.code = code
        self.username = username
        self.creatorDevice = creatorDevice
        self.expiresAt = expiresAt
        self.claimedDeviceKey = claimedDeviceKey
        self.claimedDeviceName = claimedDeviceName
    }
}

/// A message a device sends to a set of devices.
public struct OutgoingMessage: Sendable, Equatable {
    public var sender: DeviceID
    public var clientMessageID: [UInt8]
    public var recipients: [DeviceID]
    public var body: [UInt8]
    public var receivedAt: Date
    /// Set for a group commit: the message is stored only if the claim wins
    /// (see ``GroupEpochClaim``).
    public var epochClaim: GroupEpochClaim?
    /// More bodies for other recipients, stored with this one or not at all. Their
    /// recipient sets and ``recipients`` must be pairwise disjoint.
    public var additional: [MessageDispatch]

    public init(sender: DeviceID, clientMessageID: [UInt8], recipients: [DeviceID], body: [UInt8], receivedAt: Date,
                epochClaim: GroupEpochClaim? = nil, additional: [MessageDispatch] = []) {
        self.sender = sender
        self.clientMessageID = clientMessageID
        self.recipients = recipients
        self.body = body
        self.receivedAt = receivedAt
        self.epochClaim = epochClaim
        self.additional = additional
    }
}

/// What ``TacitStore/enqueue(_:)`` did.
public struct EnqueueResult: Sendable, Equatable {
    /// The queue entry created (or found, for a duplicate) per recipient device.
    public var entries: [DeviceID: QueueID]
    /// True when the message had been stored before (an idempotent retry).
    public var duplicate: Bool

    public init(entries: [DeviceID: QueueID], duplicate: Bool) {
        self.entries = entries
        self.duplicate = duplicate
    }
}

/// One entry of a device's queue.
public struct QueuedMessage: Sendable, Equatable {
    public var queueID: QueueID
    public var recipient: DeviceID
    public var sender: DeviceID
    public var senderUsername: String
    public var clientMessageID: [UInt8]
    public var body: [UInt8]
    public var receivedAt: Date

    public init(queueID: QueueID, recipient: DeviceID, sender: DeviceID, senderUsername: String,
                clientMessageID: [UInt8], body: [UInt8], receivedAt: Date) {
        self.queueID = queueID
        self.recipient = recipient
        self.sender = sender
        self.senderUsername = senderUsername
        self.clientMessageID = clientMessageID
        self.body = body
        self.receivedAt = receivedAt
    }
}

/// Typed store failures. Anything else thrown by a store is an internal error.
public enum StoreError: Error, Equatable, Sendable {
    case usernameTaken
    case notFound
    /// An optimistic check failed (device list version moved, link code already claimed).
    case conflict
    /// A recipient device does not exist or is revoked.
    case unknownRecipient(DeviceID)
    /// An epoch claim names an epoch the group has left (or not reached); carries the
    /// group's current epoch, the one a new claim must name.
    case staleEpoch(current: UInt64)
    /// An epoch claim's token does not hash to the one stored for the group's epoch.
    case epochTokenMismatch
    /// An epoch claim above 0 names a group the store has no record of.
    case unknownGroup
    /// Storing would take a device past a limit (such as its stored KeyPackages).
    case quotaExceeded(limit: Int)
    /// The call breaks a rule of this API (a caller bug; the server checks first).
    case invalidRequest(String)
    /// The store cannot serve right now (disk, database down); the caller may retry.
    case unavailable(String)
    case closed
}
