/// The external-initialization `init_secret` of an external Commit (RFC 9420, Section 8.3).
public enum ExternalInit {
    /// The HPKE exporter label.
    static let exportLabel = Array("MLS 1.0 external init secret".utf8)

    /// The joiner's side: `SetupBaseS(external_pub, "")` then `export("MLS 1.0 external init secret", Nh)`.
    ///
    /// - Returns: The `kem_output` for the ExternalInit proposal and the new `init_secret`.
    public static func create(suite: any CipherSuite, externalPublicKey: [UInt8]) throws -> (kemOutput: [UInt8], initSecret: [UInt8]) {
        let result = try suite.hpkeExport(publicKey: externalPublicKey, info: [], exporterContext: exportLabel,
                                          length: suite.hashLength)
        return (result.kemOutput, result.secret)
    }

    /// A member's side: `SetupBaseR(kem_output, external_priv, "")` then the same export.
    public static func receive(suite: any CipherSuite, externalPrivateKey: [UInt8], kemOutput: [UInt8]) throws -> [UInt8] {
        try suite.hpkeExport(privateKey: externalPrivateKey, kemOutput: kemOutput, info: [],
                             exporterContext: exportLabel, length: suite.hashLength)
    }
}
