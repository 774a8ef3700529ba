extension MLSGroup {
    /// Encrypts application data for the group as a PrivateMessage (RFC 9420, Section 15),
    /// padded to ``MLSGroupConfiguration/paddingBlockSize``.
    ///
    /// - Throws: ``MLSGroupError/pendingProposalsMustBeCommitted`` while proposals of this epoch
    ///   are stored: they must be committed first (Section 12.4).
    public mutating func encrypt(_ data: [UInt8], authenticatedData: [UInt8] = []) throws(MLSGroupError) -> MLSMessage {
        try requireActive()
        guard pendingProposals.isEmpty else { throw .pendingProposalsMustBeCommitted }
        // Vectors are limited to 2^30 bytes by the encoding; leave room for the rest of the message.
        guard data.count + authenticatedData.count < 1 << 29 else {
            throw .decoding(.lengthTooLarge(UInt64(data.count + authenticatedData.count)))
        }
        return try withGroupErrors {
            let content = try sign(.application(data), wireFormat: .privateMessage, authenticatedData: authenticatedData)
            return try protect(content, paddingLength: configuration.paddingLength(for: data.count))
        }
    }

    /// Decrypts an application message; any other content is refused and leaves the group unchanged.
    public mutating func decrypt(_ message: MLSMessage) throws(MLSGroupError) -> ApplicationMessage {
        guard case .privateMessage(let privateMessage) = message.body, privateMessage.contentType == .application else {
            throw .unexpectedWireFormat(message.wireFormat)
        }
        guard case .application(let application) = try process(message) else {
            throw .internalFailure("application message processed as handshake")
        }
        return application
    }
}
