/// The key derivations of TreeKEM path secrets (RFC 9420, Section 7.4).
enum PathSecretDerivation {
    /// `path_secret[n+1] = DeriveSecret(path_secret[n], "path")`; also gives the commit secret.
    static func next(_ pathSecret: [UInt8], suite: any CipherSuite) throws(TreeKEMError) -> [UInt8] {
        do { return try suite.deriveSecret(secret: pathSecret, label: "path") } catch let error as CipherSuiteError {
            throw .cryptoFailure(error)
        } catch { throw .cryptoFailure(.hpkeFailure) }
    }

    /// `node_secret = DeriveSecret(path_secret, "node")`, then `KEM.DeriveKeyPair(node_secret)`.
    static func keyPair(_ pathSecret: [UInt8], suite: any CipherSuite) throws(TreeKEMError) -> HPKEKeyPair {
        do {
            let nodeSecret = try suite.deriveSecret(secret: pathSecret, label: "node")
            return try suite.deriveHPKEKeyPair(inputKeyMaterial: nodeSecret)
        } catch let error as CipherSuiteError {
            throw .cryptoFailure(error)
        } catch { throw .cryptoFailure(.hpkeFailure) }
    }
}
