/// A proposal received or sent in the current epoch, kept so a Commit can refer to it.
struct PendingProposal: Hashable, Sendable {
    var reference: ProposalRef
    var proposal: Proposal
    var sender: Sender
    /// For this client's own Update: the private key of the new leaf's encryption key.
    var ownLeafKeyPair: HPKEKeyPair?
}

extension PendingProposal: MLSCodable {
    func encode(to encoder: inout MLSEncoder) {
        encoder.write(reference)
        encoder.write(proposal)
        encoder.write(sender)
        encoder.write(ownLeafKeyPair != nil)
        if let ownLeafKeyPair {
            encoder.writeOpaque(ownLeafKeyPair.privateKey)
            encoder.writeOpaque(ownLeafKeyPair.publicKey)
        }
    }

    init(from decoder: inout MLSDecoder) throws {
        reference = try decoder.read()
        proposal = try decoder.read()
        sender = try decoder.read()
        ownLeafKeyPair = try decoder.readBool()
            ? HPKEKeyPair(privateKey: try decoder.readOpaque(), publicKey: try decoder.readOpaque()) : nil
    }
}
