import Crypto
import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The server's Ed25519 identity key. Clients pin its public half and check the server's
/// signature in every ``WireChallenge``.
public struct ServerIdentity: Sendable, CustomStringConvertible {
    /// Why the identity key could not be loaded or created.
    public enum LoadError: Error, Equatable, CustomStringConvertible {
        case cannotCreateDirectory(String)
        case cannotWrite(path: String, errno: Int32)
        case cannotRead(String)
        /// The file exists but does not hold a 32-byte Ed25519 private key.
        case damaged(String)

        public var description: String {
            switch self {
            case .cannotCreateDirectory(let path): "cannot create the data directory \(path)"
            case .cannotWrite(let path, let code): "cannot write the identity key \(path) (errno \(code))"
            case .cannotRead(let path): "cannot read the identity key \(path)"
            case .damaged(let path): "the identity key \(path) is damaged (expected 32 raw bytes)"
            }
        }
    }

    private let privateKey: Curve25519.Signing.PrivateKey

    /// A fresh identity that lives only in memory (for tests).
    public init() {
        self.privateKey = Curve25519.Signing.PrivateKey()
    }

    init(privateKey: Curve25519.Signing.PrivateKey) {
        self.privateKey = privateKey
    }

    /// The 32-byte public key clients pin.
    public var publicKey: [UInt8] { Array(privateKey.publicKey.rawRepresentation) }

    /// Only the public key, base64: the private key never reaches a log.
    public var description: String { "ServerIdentity(\(Data(publicKey).base64EncodedString()))" }

    /// Signs `message` with the identity key.
    func signature(for message: [UInt8]) -> [UInt8] {
        // Signing with a valid in-memory key only fails if the system RNG fails.
        (try? Array(privateKey.signature(for: message))) ?? []
    }

    /// Loads the key stored at `path`, or creates it (mode 0600) if there is none yet.
    public static func loadOrCreate(at path: String, logger: Logger) throws(LoadError) -> ServerIdentity {
        let directory = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: directory.isEmpty ? "." : directory,
                                                    withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw .cannotCreateDirectory(directory)
        }
        if let existing = try load(at: path, logger: logger) {
            return existing
        }
        let identity = ServerIdentity()
        switch createExclusively(path, holding: identity.privateKey.rawRepresentation) {
        case .written:
            logger.notice("created server identity key", metadata: ["path": "\(path)"])
            return identity
        case .exists:
            // Another process created it between our read and write: use theirs.
            guard let existing = try load(at: path, logger: logger) else { throw .cannotRead(path) }
            return existing
        case .failed(let code):
            throw .cannotWrite(path: path, errno: code)
        }
    }

    private static func load(at path: String, logger: Logger) throws(LoadError) -> ServerIdentity? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else { throw .cannotRead(path) }
        guard data.count == 32, let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: data) else {
            throw .damaged(path)
        }
        if let attributes = try? FileManager.default.attributesOfItem(atPath: path),
           let mode = attributes[.posixPermissions] as? Int, mode & 0o077 != 0 {
            logger.warning("server identity key is readable by other users; chmod 600 it",
                           metadata: ["path": "\(path)"])
        }
        return ServerIdentity(privateKey: key)
    }

    private enum WriteOutcome { case written, exists, failed(Int32) }

    /// Creates the file exclusively with mode 0600 so the key is never briefly world-readable.
    private static func createExclusively(_ path: String, holding bytes: Data) -> WriteOutcome {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { return errno == EEXIST ? .exists : .failed(errno) }
        defer { close(fd) }
        let written = bytes.withUnsafeBytes { buffer in
            write(fd, buffer.baseAddress, buffer.count)
        }
        guard written == bytes.count, fsync(fd) == 0 else {
            let code = errno
            unlink(path)
            return .failed(code)
        }
        return .written
    }
}
