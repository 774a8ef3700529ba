import Crypto
import Foundation

/// The Ed25519 identity key of this device.
///
/// The private key is generated on the device and stored only in the device's local store
/// (`client.sqlite` under the client's home directory); it is never sent anywhere. The
/// server and other devices know only ``publicKey``.
public struct DeviceIdentity: Sendable {
    private let privateKey: Curve25519.Signing.PrivateKey

    /// Generates a fresh identity key.
    public init() {
        self.privateKey = Curve25519.Signing.PrivateKey()
    }

    /// Restores an identity from the 32-byte private key kept in the local store.
    init(privateKeyBytes: some ContiguousBytes) throws(ClientError) {
        do {
            self.privateKey = try Curve25519.Signing.PrivateKey(rawRepresentation: privateKeyBytes)
        } catch {
            throw .localStore("the stored device key is damaged")
        }
    }

    /// The 32-byte Ed25519 public key that identifies this device.
    public var publicKey: [UInt8] { Array(privateKey.publicKey.rawRepresentation) }

    /// The private key, for the local store only.
    var privateKeyBytes: Data { privateKey.rawRepresentation }

    /// Signs `message` with the device key.
    func sign(_ message: [UInt8]) throws(ClientError) -> [UInt8] {
        do {
            return Array(try privateKey.signature(for: message))
        } catch {
            throw .internalFailure("signing failed: \(error)")
        }
    }

    /// Whether `signature` is a valid Ed25519 signature by `publicKey` over `message`.
    /// A malformed key or signature is simply not valid.
    static func isValid(signature: some DataProtocol, by publicKey: some ContiguousBytes,
                        over message: some DataProtocol) -> Bool {
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey) else { return false }
        return key.isValidSignature(signature, for: message)
    }
}
