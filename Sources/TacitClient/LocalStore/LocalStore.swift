import Foundation
import GRDB

/// What the local store knows about this device's account.
struct LocalAccount: Sendable, Equatable {
    var username: String
    var deviceID: DeviceID
}

/// The device's persistent state in `<home>/client.sqlite`: its identity key, account,
/// server and pinned server key, and the messages the app has already processed.
final class LocalStore: Sendable {
    let home: ClientHome
    let database: DatabaseQueue

    /// The device row as loaded.
    struct State: Sendable {
        var identity: DeviceIdentity
        var deviceName: String
        var account: LocalAccount?
        var server: ServerURL?
        var serverKey: [UInt8]?
    }

    /// Opens (creating if needed) the store under `home`. A device key is generated the
    /// first time, named `deviceName`.
    init(home: ClientHome, deviceName: String) throws(ClientError) {
        try home.prepare()
        self.home = home
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.journalMode = .wal
        configuration.prepareDatabase { db in
            // WAL with NORMAL sync survives a crash of this process, which is what
            // de-duplication needs; only power loss could forget the newest rows.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            database = try DatabaseQueue(path: home.databaseURL.path, configuration: configuration)
            try LocalSchema.migrator.migrate(database)
            try database.write { db in
                if try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM device") == 0 {
                    let identity = DeviceIdentity()
                    try db.execute(sql: "INSERT INTO device (id, private_key, device_name) VALUES (1, ?, ?)",
                                   arguments: [identity.privateKeyBytes, DeviceName.sanitize(deviceName)])
                }
            }
            try home.restrictDatabaseFiles()
        } catch let error as ClientError {
            throw error
        } catch {
            throw .localStore("cannot open \(home.databaseURL.path): \(error)")
        }
    }

    func load() throws(ClientError) -> State {
        let row: Row?
        do {
            row = try database.read { db in try Row.fetchOne(db, sql: "SELECT * FROM device WHERE id = 1") }
        } catch {
            throw .localStore("cannot read the device: \(error)")
        }
        guard let row, let key = row["private_key"] as Data? else { throw .localStore("the device row is missing") }
        let identity = try DeviceIdentity(privateKeyBytes: key)
        var account: LocalAccount?
        if let username = row["username"] as String?, let id = row["device_id"] as Int64? {
            account = LocalAccount(username: username, deviceID: DeviceID(bitPattern: id))
        }
        var server: ServerURL?
        if let url = row["server_url"] as String? { server = try ServerURL(url) }
        let serverKey = (row["server_key"] as Data?).map { Array($0) }
        return State(identity: identity, deviceName: row["device_name"] ?? "", account: account,
                     server: server, serverKey: serverKey)
    }

    /// Records the server and its key, pinned on first contact.
    func pinServer(_ server: ServerURL, key: [UInt8]) throws(ClientError) {
        try write { db in
            try db.execute(sql: "UPDATE device SET server_url = ?, server_key = ? WHERE id = 1",
                           arguments: [server.base, Data(key)])
        }
    }

    /// Forgets the pinned server key (the server URL stays).
    func forgetServerKey() throws(ClientError) {
        try write { db in try db.execute(sql: "UPDATE device SET server_key = NULL WHERE id = 1") }
    }

    /// Records the account this device belongs to.
    func saveAccount(_ account: LocalAccount) throws(ClientError) {
        try write { db in
            try db.execute(sql: "UPDATE device SET username = ?, device_id = ? WHERE id = 1",
                           arguments: [account.username, Int64(bitPattern: account.deviceID)])
        }
    }

    /// Whether the app has processed the message `clientMessageID` from `sender`.
    func isProcessed(sender: DeviceID, clientMessageID: ClientMessageID) throws(ClientError) -> Bool {
        do {
            return try database.read { db in
                try Bool.fetchOne(db, sql: """
                    SELECT EXISTS (SELECT 1 FROM processed_message
                                   WHERE sender_device_id = ? AND client_message_id = ?)
                    """, arguments: [Int64(bitPattern: sender), Data(clientMessageID.bytes)]) ?? false
            }
        } catch {
            throw .localStore("cannot read processed messages: \(error)")
        }
    }

    /// Records that the app processed `envelope`. Recording twice is harmless.
    func markProcessed(_ envelope: IncomingEnvelope, now: Date) throws(ClientError) {
        try write { db in
            try db.execute(sql: """
                INSERT OR IGNORE INTO processed_message
                    (sender_device_id, client_message_id, queue_id, processed_ms) VALUES (?, ?, ?, ?)
                """, arguments: [Int64(bitPattern: envelope.senderDeviceID), Data(envelope.clientMessageID.bytes),
                                 Int64(bitPattern: envelope.queueID), Int64(now.millisecondsSince1970)])
        }
    }

    /// Forgets processed messages older than `cutoff` (the server expired them long ago).
    func pruneProcessed(before cutoff: Date) throws(ClientError) {
        try write { db in
            try db.execute(sql: "DELETE FROM processed_message WHERE processed_ms < ?",
                           arguments: [Int64(cutoff.millisecondsSince1970)])
        }
    }

    /// Number of processed-message records (for tests and diagnostics).
    func processedCount() throws(ClientError) -> Int {
        do {
            return try database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM processed_message") ?? 0 }
        } catch {
            throw .localStore("cannot read processed messages: \(error)")
        }
    }

    private func write(_ body: (Database) throws -> Void) throws(ClientError) {
        do {
            try database.write(body)
        } catch {
            throw .localStore("cannot write \(home.databaseURL.lastPathComponent): \(error)")
        }
    }
}
