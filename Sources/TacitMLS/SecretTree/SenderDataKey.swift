/// The key and nonce that protect a `PrivateMessage`'s sender data (RFC 9420, Section 6.3.2).
///
/// ```
/// ciphertext_sample = ciphertext[0..KDF.Nh-1]
/// sender_data_key   = ExpandWithLabel(sender_data_secret, "key",   ciphertext_sample, AEAD.Nk)
/// sender_data_nonce = ExpandWithLabel(sender_data_secret, "nonce", ciphertext_sample, AEAD.Nn)
/// ```
/// A ciphertext shorter than `Nh` is used whole.
public enum SenderDataKey {
    /// The sender data key and nonce for a content `ciphertext`.
    public static func derive(suite: any CipherSuite, senderDataSecret: [UInt8], ciphertext: [UInt8]) throws -> (key: [UInt8], nonce: [UInt8]) {
        let sample = Array(ciphertext.prefix(suite.hashLength))
        return (try suite.expandWithLabel(secret: senderDataSecret, label: "key", context: sample, length: suite.aeadKeyLength),
                try suite.expandWithLabel(secret: senderDataSecret, label: "nonce", context: sample, length: suite.aeadNonceLength))
    }
}
