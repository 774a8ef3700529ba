import Foundation

/// Everything the Tacit server keeps between connections.
///
/// The server is stateless apart from live connections: accounts, devices, signed device
/// lists, link codes and message queues all live behind this protocol. Message bodies are
/// opaque bytes; a store never looks inside them.
///
/// Every implementation (SQLite today, PostgreSQL next) must pass the same conformance
/// suite (`Tests/TacitStoreTests`). The delivery contract it upholds:
/// - ``enqueue(_:)`` returns only once the message is durable (committed to disk).
/// - Retrying with the same sender device and client message id stores nothing new.
/// - ``pending(for:after:limit:)`` returns a device's entries in queue order, which keeps
///   the order of sends from one sender device to one recipient device.
/// - An entry disappears only when its recipient acknowledges it, or when it expires.
/// - Exactly one message per group epoch carries a winning ``GroupEpochClaim``, however
///   many servers and connections race (the claim is checked in the enqueue's transaction).
/// - A one-time KeyPackage is handed out once, however many claims race.
public protocol TacitStore: Sendable {
    // MARK: Accounts and devices

    /// Creates an account with its first device. Throws ``StoreError/usernameTaken`` when
    /// the (already case-folded) username exists, including under a concurrent race.
    func createAccount(username: String, device: NewDevice, deviceList: StoredDeviceList) async throws -> DeviceRecord

    /// The device with `id`, revoked or not; `nil` if it never existed.
    func device(id: DeviceID) async throws -> DeviceRecord?

    /// The device whose identity key is `identityKey`, if any.
    func device(identityKey: [UInt8]) async throws -> DeviceRecord?

    /// The account's devices that are not revoked, oldest first.
    func activeDevices(username: String) async throws -> [DeviceRecord]

    /// The account's current signed device list.
    func deviceList(username: String) async throws -> StoredDeviceList?

    /// Adds a device and replaces the device list, if the stored list still has
    /// `replacingVersion` (else ``StoreError/conflict``).
    func addDevice(username: String, device: NewDevice, deviceList: StoredDeviceList,
                   replacingVersion: UInt64) async throws -> DeviceRecord

    /// Marks a device revoked, drops its queue and its KeyPackages, and replaces the device
    /// list, if the stored list still has `replacingVersion` (else ``StoreError/conflict``).
    func revokeDevice(id: DeviceID, deviceList: StoredDeviceList, replacingVersion: UInt64) async throws

    // MARK: Link codes

    /// Stores a fresh one-time link code created by `creator`.
    func createLinkCode(_ code: LinkCode) async throws

    /// Records that a new device claims `code`. Fails with ``StoreError/notFound`` for an
    /// unknown or expired code and ``StoreError/conflict`` when it was claimed already.
    func claimLinkCode(_ code: String, deviceKey: [UInt8], deviceName: String, now: Date) async throws -> LinkCode

    /// The link code, claimed or not, if it exists and has not expired.
    func linkCode(_ code: String, now: Date) async throws -> LinkCode?

    /// Deletes a link code (after use or on expiry).
    func deleteLinkCode(_ code: String) async throws

    // MARK: KeyPackages

    /// Appends `oneTime` to the device's one-time KeyPackages and, when `lastResort` is
    /// not `nil`, replaces its last-resort package; returns what the device has afterwards.
    /// Packages are opaque bytes here (the server validates them first).
    ///
    /// Fails with ``StoreError/notFound`` for an unknown or revoked device, and with
    /// ``StoreError/quotaExceeded(limit:)`` (storing nothing) when the device would hold
    /// more than `maxStored` one-time packages.
    func publishKeyPackages(device: DeviceID, oneTime: [[UInt8]], lastResort: [UInt8]?,
                            maxStored: Int, now: Date) async throws -> KeyPackageInventory

    /// What the device has in the directory (nothing for an unknown device).
    func keyPackageInventory(device: DeviceID) async throws -> KeyPackageInventory

    /// Takes the oldest one-time KeyPackage of each listed device, in one transaction.
    /// A device without one left yields its last-resort package, which stays stored.
    /// Unknown and revoked devices, and devices with neither, are absent from the result;
    /// a device listed twice is claimed once. Two concurrent claims never take the same
    /// one-time package. Results follow the order of `devices`.
    func claimKeyPackages(devices: [DeviceID]) async throws -> [KeyPackageClaim]

    // MARK: Delivery

    /// Stores one message for every recipient device; durable when it returns.
    ///
    /// A message with ``OutgoingMessage/epochClaim`` is stored only if the claim wins (see
    /// ``GroupEpochClaim``), checked in the same transaction; a message with
    /// ``OutgoingMessage/additional`` dispatches stores every part or none. The
    /// idempotency check comes first: a retry of a stored message is a duplicate without
    /// any epoch check. Other failures: ``StoreError/notFound`` (unknown or revoked
    /// sender), ``StoreError/unknownRecipient(_:)``, then ``StoreError/unknownGroup``,
    /// ``StoreError/staleEpoch(current:)``, ``StoreError/epochTokenMismatch`` and
    /// ``StoreError/invalidRequest(_:)`` (overlapping recipient sets).
    func enqueue(_ message: OutgoingMessage) async throws -> EnqueueResult

    /// Up to `limit` queued entries for `device` with a queue id greater than `after`,
    /// in queue order.
    func pending(for device: DeviceID, after: QueueID, limit: Int) async throws -> [QueuedMessage]

    /// Deletes the given entries of `device`'s queue. Ids of other devices' entries are
    /// ignored (a device can never touch another's queue). Returns how many were deleted.
    @discardableResult
    func acknowledge(device: DeviceID, queueIDs: [QueueID]) async throws -> Int

    /// Deletes entries (and idempotency records) stored before `cutoff`. Returns the count.
    @discardableResult
    func expire(before cutoff: Date) async throws -> Int

    /// Number of queued entries across all devices (for metrics).
    func queueDepth() async throws -> Int

    /// Flushes pending work and releases resources. Later calls fail.
    func close() async throws
}

/// A server-wide device identifier, assigned by the store.
public typealias DeviceID = UInt64

/// A position in a device's queue; increases with every enqueue.
public typealias QueueID = UInt64
