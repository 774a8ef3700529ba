import Foundation

/// The directory where a device keeps its local state (`client.sqlite`).
///
/// Defaults to `~/.tacit`; the `TACIT_HOME` environment variable or an explicit path
/// override it. The directory is created with mode 0700 and the database with 0600, so
/// only the owner can read the device key.
public struct ClientHome: Sendable, Hashable, CustomStringConvertible {
    /// The directory itself.
    public let directory: URL

    public init(directory: URL) {
        self.directory = directory.standardizedFileURL
    }

    /// `$TACIT_HOME` if set, else `~/.tacit`.
    public static func `default`(environment: [String: String] = ProcessInfo.processInfo.environment) -> ClientHome {
        if let path = environment["TACIT_HOME"], !path.isEmpty {
            return ClientHome(directory: URL(fileURLWithPath: (path as NSString).expandingTildeInPath))
        }
        let home = FileManager.default.homeDirectoryForCurrentUser
        return ClientHome(directory: home.appendingPathComponent(".tacit", isDirectory: true))
    }

    /// The local database.
    public var databaseURL: URL { directory.appendingPathComponent("client.sqlite") }

    public var description: String { directory.path }

    /// Creates the directory (0700) and an empty database file (0600) if missing, and
    /// tightens their modes if they exist.
    func prepare() throws(ClientError) {
        let files = FileManager.default
        do {
            try files.createDirectory(at: directory, withIntermediateDirectories: true,
                                      attributes: [.posixPermissions: 0o700])
            try files.setAttributes([.posixPermissions: 0o700], ofItemAtPath: directory.path)
            if !files.fileExists(atPath: databaseURL.path) {
                guard files.createFile(atPath: databaseURL.path, contents: nil,
                                       attributes: [.posixPermissions: 0o600])
                else { throw ClientError.localStore("cannot create \(databaseURL.path)") }
            }
            try restrictDatabaseFiles()
        } catch let error as ClientError {
            throw error
        } catch {
            throw .localStore("cannot prepare \(directory.path): \(error.localizedDescription)")
        }
    }

    /// Sets mode 0600 on the database and its WAL side files.
    func restrictDatabaseFiles() throws {
        let files = FileManager.default
        for suffix in ["", "-wal", "-shm"] {
            let path = databaseURL.path + suffix
            if files.fileExists(atPath: path) {
                try files.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
            }
        }
    }
}
