import Foundation

/// Prepares the place a database lives: its directory, and a main file readable only by
/// the server's user.
///
/// SQLite gives the `-wal` and `-shm` files it creates the permissions of the main file,
/// so creating that one with mode 0600 before SQLite opens it keeps all three private.
enum DatabaseFile {
    static let fileMode: Int = 0o600
    static let directoryMode: Int = 0o700

    /// The suffixes of the files SQLite keeps beside the main one in WAL mode.
    static let companionSuffixes = ["-wal", "-shm"]

    static func prepare(path: String) throws {
        let fileManager = FileManager.default
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        do {
            if !fileManager.fileExists(atPath: directory) {
                try fileManager.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: directoryMode])
            }
            if fileManager.fileExists(atPath: path) {
                try restrict(path)
            } else if !fileManager.createFile(atPath: path, contents: nil,
                                              attributes: [.posixPermissions: fileMode]) {
                throw StoreError.unavailable("cannot create database file at \(path)")
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.unavailable("cannot prepare database at \(path): \(error.localizedDescription)")
        }
    }

    /// Tightens the companion files too, in case an older build or a tool created them.
    static func restrictCompanions(of path: String) {
        for suffix in companionSuffixes where FileManager.default.fileExists(atPath: path + suffix) {
            try? restrict(path + suffix)
        }
    }

    private static func restrict(_ path: String) throws {
        try FileManager.default.setAttributes([.posixPermissions: fileMode], ofItemAtPath: path)
    }
}
