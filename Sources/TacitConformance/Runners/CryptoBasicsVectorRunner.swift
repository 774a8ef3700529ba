import TacitMLS

/// crypto-basics.json: RefHash, ExpandWithLabel, DeriveSecret, DeriveTreeSecret, SignWithLabel and
/// EncryptWithLabel (RFC 9420, Section 5).
public enum CryptoBasicsVectorRunner: MLSVectorRunner {
    public struct Entry: Decodable, Sendable {
        public struct RefHash: Decodable, Sendable { public let label: String; public let value, out: VectorHex }
        public struct ExpandWithLabel: Decodable, Sendable {
            public let secret: VectorHex; public let label: String; public let context: VectorHex
            public let length: Int; public let out: VectorHex
        }
        public struct DeriveSecret: Decodable, Sendable { public let secret: VectorHex; public let label: String; public let out: VectorHex }
        public struct DeriveTreeSecret: Decodable, Sendable {
            public let secret: VectorHex; public let label: String; public let generation: UInt32
            public let length: Int; public let out: VectorHex
        }
        public struct SignWithLabel: Decodable, Sendable {
            public let priv, pub, content: VectorHex; public let label: String; public let signature: VectorHex
        }
        public struct EncryptWithLabel: Decodable, Sendable {
            public let priv, pub: VectorHex; public let label: String
            public let context, plaintext, kem_output, ciphertext: VectorHex
        }
        public let cipher_suite: UInt16
        public let ref_hash: RefHash
        public let expand_with_label: ExpandWithLabel
        public let derive_secret: DeriveSecret
        public let derive_tree_secret: DeriveTreeSecret
        public let sign_with_label: SignWithLabel
        public let encrypt_with_label: EncryptWithLabel
    }

    public static let kind = MLSVectorKind.cryptoBasics

    public static func check(_ entry: Entry, in context: MLSVectorContext) throws {
        let suite = try context.requireSuite()
        let ref = entry.ref_hash
        try expectEqual(suite.refHash(label: ref.label, value: ref.value.bytes), ref.out.bytes, "ref_hash")

        let ewl = entry.expand_with_label
        try expectEqual(try step("expand_with_label") {
            try suite.expandWithLabel(secret: ewl.secret.bytes, label: ewl.label, context: ewl.context.bytes, length: ewl.length)
        }, ewl.out.bytes, "expand_with_label")

        let ds = entry.derive_secret
        try expectEqual(try step("derive_secret") { try suite.deriveSecret(secret: ds.secret.bytes, label: ds.label) },
                        ds.out.bytes, "derive_secret")

        let dts = entry.derive_tree_secret
        try expectEqual(try step("derive_tree_secret") {
            try suite.deriveTreeSecret(secret: dts.secret.bytes, label: dts.label, generation: dts.generation, length: dts.length)
        }, dts.out.bytes, "derive_tree_secret")

        try checkSignature(entry.sign_with_label, suite)
        try checkEncryption(entry.encrypt_with_label, suite)
    }

    private static func checkSignature(_ swl: Entry.SignWithLabel, _ suite: any CipherSuite) throws {
        try expectEqual(try step("sign_with_label public key") { try suite.signaturePublicKey(privateKey: swl.priv.bytes) },
                        swl.pub.bytes, "sign_with_label: public key of priv")
        try expect(suite.verifyWithLabel(publicKey: swl.pub.bytes, label: swl.label, content: swl.content.bytes,
                                         signature: swl.signature.bytes),
                   "sign_with_label: the vector's signature does not verify")
        let own = try step("sign_with_label") {
            try suite.signWithLabel(privateKey: swl.priv.bytes, label: swl.label, content: swl.content.bytes)
        }
        try expect(suite.verifyWithLabel(publicKey: swl.pub.bytes, label: swl.label, content: swl.content.bytes, signature: own),
                   "sign_with_label: our own signature does not verify")
        try expect(!suite.verifyWithLabel(publicKey: swl.pub.bytes, label: swl.label + "x", content: swl.content.bytes,
                                          signature: swl.signature.bytes),
                   "sign_with_label: the signature verifies under another label")
    }

    private static func checkEncryption(_ enc: Entry.EncryptWithLabel, _ suite: any CipherSuite) throws {
        try expectEqual(try step("encrypt_with_label public key") { try suite.hpkePublicKey(privateKey: enc.priv.bytes) },
                        enc.pub.bytes, "encrypt_with_label: public key of priv")
        let given = HPKECiphertext(kemOutput: enc.kem_output.bytes, ciphertext: enc.ciphertext.bytes)
        try expectEqual(try step("decrypt_with_label of the vector's ciphertext") {
            try suite.decryptWithLabel(privateKey: enc.priv.bytes, label: enc.label, context: enc.context.bytes, ciphertext: given)
        }, enc.plaintext.bytes, "encrypt_with_label: plaintext")
        let own = try step("encrypt_with_label") {
            try suite.encryptWithLabel(publicKey: enc.pub.bytes, label: enc.label, context: enc.context.bytes,
                                       plaintext: enc.plaintext.bytes)
        }
        try expectEqual(try step("decrypt_with_label of our own ciphertext") {
            try suite.decryptWithLabel(privateKey: enc.priv.bytes, label: enc.label, context: enc.context.bytes, ciphertext: own)
        }, enc.plaintext.bytes, "encrypt_with_label: plaintext of our own ciphertext")
    }
}
