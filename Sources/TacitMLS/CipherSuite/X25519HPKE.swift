import Crypto

/// HPKE in base mode (RFC 9180, Sections 4.1 and 5) for DHKEM(X25519, HKDF-SHA256) with
/// HKDF-SHA256 and the suite's AEAD, as MLS uses it: single-shot seal and open (sequence
/// number 0) and the exporter.
///
/// Built on `HMACSHA256Key` rather than `HPKE.Sender`/`HPKE.Recipient`: the curve operations
/// are the same BoringSSL calls, but the generic key schedule around them cost about as much
/// again, and a Commit to a large group performs one seal per copath member.
struct X25519HPKE {
    private static let version = Array("HPKE-v1".utf8)
    /// `suite_id` of the KEM: "KEM" || I2OSP(0x0020, 2).
    private static let kemSuiteID = Array("KEM".utf8) + [0x00, 0x20]

    let aead: X25519SHA256Ed25519Suite.AEAD

    /// `suite_id` of the key schedule: "HPKE" || kem_id || kdf_id (0x0001) || aead_id.
    private var suiteID: [UInt8] {
        Array("HPKE".utf8) + [0x00, 0x20, 0x00, 0x01, 0x00, aead == .aes128GCM ? 0x01 : 0x03]
    }

    private var keyLength: Int { aead == .aes128GCM ? 16 : 32 }

    // MARK: Labeled KDF (Section 4)

    /// `LabeledExtract(salt, label, ikm)`.
    static func labeledExtract(suiteID: [UInt8], salt: [UInt8], label: String, inputKeyMaterial: [UInt8]) -> [UInt8] {
        HMACSHA256Key(key: salt).authenticationCode(for: version + suiteID + Array(label.utf8) + inputKeyMaterial)
    }

    /// `LabeledExpand(prk, label, info, L)`.
    static func labeledExpand(suiteID: [UInt8], pseudoRandomKey: [UInt8], label: String, info: [UInt8], length: Int) -> [UInt8] {
        let labeledInfo = [UInt8(truncatingIfNeeded: length >> 8), UInt8(truncatingIfNeeded: length)]
            + version + suiteID + Array(label.utf8) + info
        return HMACSHA256Key(key: pseudoRandomKey).expand(info: labeledInfo, length: length)
    }

    // MARK: DHKEM(X25519, HKDF-SHA256) (Section 4.1)

    /// `DeriveKeyPair(ikm)` (Section 7.1.3): X25519 needs no rejection sampling.
    static func derivePrivateKey(inputKeyMaterial: [UInt8]) -> [UInt8] {
        let prk = labeledExtract(suiteID: kemSuiteID, salt: [], label: "dkp_prk", inputKeyMaterial: inputKeyMaterial)
        return labeledExpand(suiteID: kemSuiteID, pseudoRandomKey: prk, label: "sk", info: [], length: 32)
    }

    /// `DH(sk, pk)`, refusing the all-zero output (Section 7.1.4).
    private static func diffieHellman(_ privateKey: Curve25519.KeyAgreement.PrivateKey,
                                      _ publicKey: Curve25519.KeyAgreement.PublicKey) throws -> [UInt8] {
        guard let shared = try? privateKey.sharedSecretFromKeyAgreement(with: publicKey) else {
            throw CipherSuiteError.hpkeFailure
        }
        let bytes = shared.withUnsafeBytes { Array($0) }
        guard bytes.contains(where: { $0 != 0 }) else { throw CipherSuiteError.hpkeFailure }
        return bytes
    }

    /// `ExtractAndExpand(dh, kem_context)`.
    private static func sharedSecret(dh: [UInt8], kemContext: [UInt8]) -> [UInt8] {
        let prk = labeledExtract(suiteID: kemSuiteID, salt: [], label: "eae_prk", inputKeyMaterial: dh)
        return labeledExpand(suiteID: kemSuiteID, pseudoRandomKey: prk, label: "shared_secret", info: kemContext, length: 32)
    }

    /// `Encap(pkR)`: a fresh ephemeral key; returns the shared secret and `enc`.
    private static func encapsulate(to recipient: Curve25519.KeyAgreement.PublicKey) throws -> (sharedSecret: [UInt8], enc: [UInt8]) {
        let ephemeral = Curve25519.KeyAgreement.PrivateKey()
        let dh = try diffieHellman(ephemeral, recipient)
        let enc = Array(ephemeral.publicKey.rawRepresentation)
        return (sharedSecret(dh: dh, kemContext: enc + Array(recipient.rawRepresentation)), enc)
    }

    /// `Decap(enc, skR)`.
    private static func decapsulate(_ enc: [UInt8], with recipient: Curve25519.KeyAgreement.PrivateKey) throws -> [UInt8] {
        guard enc.count == 32, let ephemeral = try? Curve25519.KeyAgreement.PublicKey(rawRepresentation: enc) else {
            throw CipherSuiteError.hpkeFailure
        }
        let dh = try diffieHellman(recipient, ephemeral)
        return sharedSecret(dh: dh, kemContext: enc + Array(recipient.publicKey.rawRepresentation))
    }

    // MARK: Key schedule (Section 5.1), base mode

    /// The context's `secret` and `key_schedule_context`; the key, nonce and exporter secret
    /// are expanded from them on demand.
    private struct Context {
        var secret: HMACSHA256Key
        var keyScheduleContext: [UInt8]
    }

    private func keySchedule(sharedSecret: [UInt8], info: [UInt8]) -> Context {
        let suiteID = suiteID
        // mode_base: empty psk and psk_id.
        let pskIDHash = Self.labeledExtract(suiteID: suiteID, salt: [], label: "psk_id_hash", inputKeyMaterial: [])
        let infoHash = Self.labeledExtract(suiteID: suiteID, salt: [], label: "info_hash", inputKeyMaterial: info)
        let secret = Self.labeledExtract(suiteID: suiteID, salt: sharedSecret, label: "secret", inputKeyMaterial: [])
        return Context(secret: HMACSHA256Key(key: secret), keyScheduleContext: [0x00] + pskIDHash + infoHash)
    }

    private func expand(_ context: Context, label: String, length: Int) -> [UInt8] {
        let info = [UInt8(truncatingIfNeeded: length >> 8), UInt8(truncatingIfNeeded: length)]
            + Self.version + suiteID + Array(label.utf8) + context.keyScheduleContext
        return context.secret.expand(info: info, length: length)
    }

    // MARK: Single-shot API (Section 6)

    private static func publicKey(_ bytes: [UInt8]) throws -> Curve25519.KeyAgreement.PublicKey {
        guard bytes.count == 32, let key = try? Curve25519.KeyAgreement.PublicKey(rawRepresentation: bytes) else {
            throw CipherSuiteError.invalidPublicKey
        }
        return key
    }

    private static func privateKey(_ bytes: [UInt8]) throws -> Curve25519.KeyAgreement.PrivateKey {
        guard bytes.count == 32, let key = try? Curve25519.KeyAgreement.PrivateKey(rawRepresentation: bytes) else {
            throw CipherSuiteError.invalidPrivateKey
        }
        return key
    }

    /// `SealBase(pkR, info, aad, pt)`.
    func seal(publicKey: [UInt8], info: [UInt8], associatedData: [UInt8], plaintext: [UInt8]) throws -> HPKECiphertext {
        let (sharedSecret, enc) = try Self.encapsulate(to: Self.publicKey(publicKey))
        let context = keySchedule(sharedSecret: sharedSecret, info: info)
        // The first (and only) message uses sequence number 0, so the nonce is `base_nonce`.
        let ciphertext = try X25519SHA256Ed25519Suite.aeadSeal(
            aead, key: expand(context, label: "key", length: keyLength), nonce: expand(context, label: "base_nonce", length: 12),
            associatedData: associatedData, plaintext: plaintext)
        return HPKECiphertext(kemOutput: enc, ciphertext: ciphertext)
    }

    /// `OpenBase(enc, skR, info, aad, ct)`.
    func open(privateKey: [UInt8], info: [UInt8], associatedData: [UInt8], ciphertext: HPKECiphertext) throws -> [UInt8] {
        let sharedSecret: [UInt8]
        do {
            sharedSecret = try Self.decapsulate(ciphertext.kemOutput, with: Self.privateKey(privateKey))
        } catch CipherSuiteError.invalidPrivateKey {
            throw CipherSuiteError.invalidPrivateKey
        } catch {
            throw CipherSuiteError.decryptionFailed
        }
        let context = keySchedule(sharedSecret: sharedSecret, info: info)
        return try X25519SHA256Ed25519Suite.aeadOpen(
            aead, key: expand(context, label: "key", length: keyLength), nonce: expand(context, label: "base_nonce", length: 12),
            associatedData: associatedData, ciphertext: ciphertext.ciphertext)
    }

    /// `SetupBaseS(pkR, info)` then `Export(exporter_context, L)`.
    func export(publicKey: [UInt8], info: [UInt8], exporterContext: [UInt8], length: Int) throws -> (kemOutput: [UInt8], secret: [UInt8]) {
        let (sharedSecret, enc) = try Self.encapsulate(to: Self.publicKey(publicKey))
        return (enc, exportSecret(keySchedule(sharedSecret: sharedSecret, info: info), context: exporterContext, length: length))
    }

    /// `SetupBaseR(enc, skR, info)` then `Export(exporter_context, L)`.
    func export(privateKey: [UInt8], kemOutput: [UInt8], info: [UInt8], exporterContext: [UInt8], length: Int) throws -> [UInt8] {
        let sharedSecret = try Self.decapsulate(kemOutput, with: Self.privateKey(privateKey))
        return exportSecret(keySchedule(sharedSecret: sharedSecret, info: info), context: exporterContext, length: length)
    }

    /// `LabeledExpand(exporter_secret, "sec", exporter_context, L)`.
    private func exportSecret(_ context: Context, context exporterContext: [UInt8], length: Int) -> [UInt8] {
        let exporterSecret = expand(context, label: "exp", length: 32)
        return Self.labeledExpand(suiteID: suiteID, pseudoRandomKey: exporterSecret, label: "sec", info: exporterContext, length: length)
    }
}
