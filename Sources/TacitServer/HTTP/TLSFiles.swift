import HummingbirdTLS

/// Builds the TLS server configuration from PEM files.
enum TLSFiles {
    static func serverConfiguration(_ files: ServerConfiguration.TLSFiles) throws(TacitServerError) -> TLSConfiguration {
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(files.certificateChainPath)
            guard !chain.isEmpty else { throw TacitServerError.tls("no certificate in \(files.certificateChainPath)") }
            let key = try NIOSSLPrivateKey(file: files.privateKeyPath, format: .pem)
            return TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) },
                                                            privateKey: .privateKey(key))
        } catch let error as TacitServerError {
            throw error
        } catch {
            throw .tls("\(error)")
        }
    }
}
