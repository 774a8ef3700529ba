/// One sender's hash ratchet (RFC 9420, Section 9.1).
///
/// ```
/// ratchet_secret_[N]_[j] ─┬─ DeriveTreeSecret(., "nonce", j, Nn)  = ratchet_nonce_[N]_[j]
///                         ├─ DeriveTreeSecret(., "key",   j, Nk)  = ratchet_key_[N]_[j]
///                         └─ DeriveTreeSecret(., "secret", j, Nh) = ratchet_secret_[N]_[j+1]
/// ```
///
/// Only the secret of the next generation and the keys of skipped generations are kept; a key
/// is deleted when handed out (Section 9.2). Failed calls leave the ratchet unchanged.
struct HashRatchet: Sendable, SecretRedacting {
    // Internal (not private) so the group state codec can persist and restore them.
    let suite: any CipherSuite
    let configuration: SecretTreeConfiguration
    /// The generation `secret` belongs to; `UInt32.max + 1` once exhausted.
    var nextGeneration: UInt64
    var secret: [UInt8]
    /// Keys of generations below `nextGeneration` that were skipped and not yet used.
    var skipped: [UInt32: RatchetKey] = [:]
    /// Generations below this were dropped from `skipped` (or never kept): too old.
    var oldestKept: UInt64 = 0

    init(suite: any CipherSuite, secret: [UInt8], configuration: SecretTreeConfiguration) {
        self.suite = suite
        self.configuration = configuration
        self.secret = secret
        nextGeneration = 0
    }

    /// The generation a sender would use next.
    var generation: UInt32? { nextGeneration <= UInt64(UInt32.max) ? UInt32(nextGeneration) : nil }

    /// The key of the next generation, for sending; the ratchet moves past it.
    mutating func nextKey() throws -> RatchetKey {
        guard let generation else { throw SecretTreeError.ratchetExhausted }
        return try advance(to: generation)
    }

    /// The key of `generation`, for receiving; it is deleted afterwards.
    mutating func key(for generation: UInt32) throws -> RatchetKey {
        let requested = UInt64(generation)
        if requested < nextGeneration {
            if let key = skipped.removeValue(forKey: generation) { return key }
            throw requested < oldestKept ? SecretTreeError.generationTooOld(generation)
                                         : SecretTreeError.generationAlreadyUsed(generation)
        }
        guard requested - nextGeneration <= UInt64(configuration.maximumForwardDistance) else {
            throw SecretTreeError.generationTooFarAhead(requested: generation, next: UInt32(nextGeneration))
        }
        return try advance(to: generation)
    }

    /// Steps from `nextGeneration` to `target`, keeping skipped keys, and returns `target`'s key.
    /// Works on a copy so that an error leaves `self` as it was.
    private mutating func advance(to target: UInt32) throws -> RatchetKey {
        var copy = self
        while copy.nextGeneration < UInt64(target) {
            let key = try copy.step()
            copy.keepSkipped(key)
        }
        let key = try copy.step()
        self = copy
        return key
    }

    /// Derives the key and nonce of `nextGeneration`, replaces the secret by the next one.
    private mutating func step() throws -> RatchetKey {
        let generation = UInt32(nextGeneration)
        let key = try suite.deriveTreeSecret(secret: secret, label: "key", generation: generation, length: suite.aeadKeyLength)
        let nonce = try suite.deriveTreeSecret(secret: secret, label: "nonce", generation: generation, length: suite.aeadNonceLength)
        secret = try suite.deriveTreeSecret(secret: secret, label: "secret", generation: generation, length: suite.hashLength)
        nextGeneration += 1
        return RatchetKey(generation: generation, key: key, nonce: nonce)
    }

    private mutating func keepSkipped(_ key: RatchetKey) {
        skipped[key.generation] = key
        while skipped.count > configuration.maximumSkippedKeys, let oldest = skipped.keys.min() {
            skipped.removeValue(forKey: oldest)
            oldestKept = max(oldestKept, UInt64(oldest) + 1)
        }
        if configuration.maximumSkippedKeys == 0 { oldestKept = nextGeneration }
    }

    var description: String { "HashRatchet(next: \(nextGeneration), skipped: \(skipped.count), secrets: redacted)" }
}
