import Crypto
import Foundation

/// The id of a stored blob: 32 random bytes, written as 64 lowercase hex digits.
///
/// Ids are capabilities (whoever knows one may fetch the blob), so they are drawn from the
/// CSPRNG and never sequential. Hex rather than base64url because ids become file names, and
/// case-insensitive file systems would merge ids that differ only in case.
public struct BlobID: Hashable, Sendable, CustomStringConvertible {
    /// The 64-digit lowercase hex form, as used in URLs and file names.
    public let hex: String

    static let byteCount = 32

    /// A new random id.
    public static func random() -> BlobID {
        BlobID(hex: SymmetricKey(size: .bits256).withUnsafeBytes { BlobHex.encode($0) })
    }

    /// Parses exactly 64 lowercase hex digits; anything else (upper case, path characters,
    /// other lengths) is `nil`.
    public init?(_ text: String) {
        let utf8 = Array(text.utf8)
        guard utf8.count == 2 * Self.byteCount,
              utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
        else { return nil }
        self.hex = text
    }

    private init(hex: String) { self.hex = hex }

    public var description: String { hex }
}
