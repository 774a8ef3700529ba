/// One PSK with its identifier, as input to ``CipherSuite/pskSecret(_:)``.
///
/// `description` never shows the secret.
public struct PreSharedKey: Hashable, Sendable, SecretRedacting {
    /// Which PSK this is.
    public let id: PreSharedKeyID
    /// The PSK value.
    public let secret: [UInt8]

    /// Pairs an identifier with its value.
    public init(id: PreSharedKeyID, secret: [UInt8]) {
        self.id = id
        self.secret = secret
    }

    public var description: String { "PreSharedKey(secret: redacted)" }
}

/// Why the PSK secret could not be computed.
public enum PreSharedKeyError: Error, Equatable, Sendable {
    /// More PSKs than `PSKLabel.count` (a `uint16`) can express.
    case tooManyPSKs(Int)
}

extension CipherSuite {
    /// The combined `psk_secret` of an ordered list of PSKs (RFC 9420, Section 8.4).
    ///
    /// ```
    /// psk_extracted_[i] = KDF.Extract(0, psk_[i])
    /// psk_input_[i]     = ExpandWithLabel(psk_extracted_[i], "derived psk", PSKLabel, Nh)
    /// psk_secret_[0]    = 0
    /// psk_secret_[i]    = KDF.Extract(psk_input_[i-1], psk_secret_[i-1])
    /// ```
    /// where `PSKLabel = struct { PreSharedKeyID id; uint16 index; uint16 count; }`.
    /// An empty list gives the all-zero vector.
    public func pskSecret(_ psks: [PreSharedKey]) throws -> [UInt8] {
        guard psks.count <= Int(UInt16.max) else { throw PreSharedKeyError.tooManyPSKs(psks.count) }
        let zero = [UInt8](repeating: 0, count: hashLength)
        var secret = zero
        for (index, psk) in psks.enumerated() {
            var label = MLSEncoder()
            label.write(psk.id)
            label.write(UInt16(index))
            label.write(UInt16(psks.count))
            let extracted = extract(salt: zero, inputKeyMaterial: psk.secret)
            let input = try expandWithLabel(secret: extracted, label: "derived psk", context: label.bytes, length: hashLength)
            secret = extract(salt: input, inputKeyMaterial: secret)
        }
        return secret
    }
}
