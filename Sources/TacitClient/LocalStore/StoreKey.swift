import _CryptoExtras
import Crypto
import Foundation

/// Where the key that seals message bodies, MLS state, contacts and profiles in the local
/// store comes from.
public enum StoreKey: Sendable {
    /// 32 random bytes in `<home>/store.key` (mode 0600), made on first use.
    case keyFile
    /// Derived from a passphrase with scrypt (N = 2^15, r = 8, p = 1) and a random salt kept
    /// in `<home>/store.salt`; nothing that reveals the passphrase is stored.
    case passphrase(String)

    /// The key file's path under `home`.
    static func keyFileURL(in home: ClientHome) -> URL { home.directory.appendingPathComponent("store.key") }
    static func saltFileURL(in home: ClientHome) -> URL { home.directory.appendingPathComponent("store.salt") }

    /// Loads (or makes) the 256-bit sealing key.
    func symmetricKey(home: ClientHome) throws(MessengerError) -> SymmetricKey {
        do {
            try home.prepare()
        } catch {
            throw .client(error)
        }
        switch self {
        case .keyFile:
            let bytes = try Self.readOrCreate(Self.keyFileURL(in: home), length: 32)
            return SymmetricKey(data: bytes)
        case .passphrase(let passphrase):
            guard !passphrase.isEmpty else { throw .store("the store passphrase is empty") }
            let salt = try Self.readOrCreate(Self.saltFileURL(in: home), length: 16)
            do {
                return try KDF.Scrypt.deriveKey(from: Array(passphrase.utf8), salt: salt, outputByteCount: 32,
                                                rounds: 1 << 15, blockSize: 8, parallelism: 1)
            } catch {
                throw .store("cannot derive the store key: \(error)")
            }
        }
    }

    /// The file's bytes, or `length` fresh random bytes written to it with mode 0600.
    private static func readOrCreate(_ url: URL, length: Int) throws(MessengerError) -> [UInt8] {
        let files = FileManager.default
        if let data = files.contents(atPath: url.path) {
            guard data.count == length else { throw .store("\(url.lastPathComponent) is damaged") }
            do {
                try files.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
            } catch {
                throw .store("cannot restrict \(url.path): \(error.localizedDescription)")
            }
            return Array(data)
        }
        let bytes = randomBytes(length)
        guard files.createFile(atPath: url.path, contents: Data(bytes), attributes: [.posixPermissions: 0o600]) else {
            throw .store("cannot create \(url.path)")
        }
        return bytes
    }
}

/// Seals and opens rows of the local store with AES-256-GCM. The associated data names the
/// table and row, so a sealed value moved to another row does not open.
struct StoreSealer: Sendable {
    private let key: SymmetricKey

    init(key: SymmetricKey) {
        self.key = key
    }

    func seal(_ plaintext: [UInt8], context: String) throws(MessengerError) -> Data {
        do {
            guard let combined = try AES.GCM.seal(plaintext, using: key, authenticating: Array(context.utf8)).combined else {
                throw MessengerError.store("AES-GCM produced no combined form")
            }
            return combined
        } catch let error as MessengerError {
            throw error
        } catch {
            throw .store("cannot seal a store row: \(error)")
        }
    }

    func open(_ sealed: Data, context: String) throws(MessengerError) -> [UInt8] {
        do {
            let box = try AES.GCM.SealedBox(combined: sealed)
            return Array(try AES.GCM.open(box, using: key, authenticating: Array(context.utf8)))
        } catch {
            throw .store("a sealed row does not open (wrong passphrase or key file, or damaged data)")
        }
    }

    /// A keyed hash for looking rows up by a secret value (a username) without storing it.
    func lookupKey(_ value: String, purpose: String) -> Data {
        Data(HMAC<SHA256>.authenticationCode(for: Array((purpose + "\u{0}" + value).utf8), using: key))
    }

    func sealJSON<Value: Encodable>(_ value: Value, context: String) throws(MessengerError) -> Data {
        let bytes: Data
        do {
            bytes = try JSONEncoder().encode(value)
        } catch {
            throw .store("cannot encode a store row: \(error)")
        }
        return try seal(Array(bytes), context: context)
    }

    func openJSON<Value: Decodable>(_ type: Value.Type, _ sealed: Data, context: String) throws(MessengerError) -> Value {
        let bytes = try open(sealed, context: context)
        do {
            return try JSONDecoder().decode(type, from: Data(bytes))
        } catch {
            throw .store("a sealed row does not decode: \(error)")
        }
    }
}
