import TacitMLS

/// message-protection.json: given PublicMessages and PrivateMessages open, and our own round-trip (RFC 9420, Section 6).
public enum MessageProtectionVectorRunner: MLSVectorRunner {
    public struct Entry: Decodable, Sendable {
        public let cipher_suite: UInt16
        public let group_id: VectorHex
        public let epoch: UInt64
        public let tree_hash, confirmed_transcript_hash: VectorHex
        public let signature_priv, signature_pub: VectorHex
        public let encryption_secret, sender_data_secret, membership_key: VectorHex
        public let proposal, proposal_pub, proposal_priv: VectorHex
        public let commit, commit_pub, commit_priv: VectorHex
        public let application, application_priv: VectorHex
    }

    public static let kind = MLSVectorKind.messageProtection
    /// Every message of the format is sent by leaf 1 of a two-member group.
    static let sender = LeafIndex(1)

    public static func check(_ entry: Entry, in context: MLSVectorContext) throws {
        let protection = Protection(entry: entry, suite: try context.requireSuite())
        let proposal = FramedContent.Body.proposal(try step("decoding proposal") { try Proposal(mlsEncoded: entry.proposal.bytes) })
        let commit = FramedContent.Body.commit(try step("decoding commit") { try Commit(mlsEncoded: entry.commit.bytes) })
        let application = FramedContent.Body.application(entry.application.bytes)

        try expect(try protection.openPublic(entry.proposal_pub.bytes, "proposal_pub") == proposal, "proposal_pub opens to another proposal")
        try expect(try protection.openPrivate(entry.proposal_priv.bytes, "proposal_priv") == proposal, "proposal_priv opens to another proposal")
        try expect(try protection.openPublic(entry.commit_pub.bytes, "commit_pub") == commit, "commit_pub opens to another commit")
        try expect(try protection.openPrivate(entry.commit_priv.bytes, "commit_priv") == commit, "commit_priv opens to another commit")
        try expect(try protection.openPrivate(entry.application_priv.bytes, "application_priv") == application,
                   "application_priv opens to other application data")

        for (body, name) in [(proposal, "proposal"), (commit, "commit")] {
            try protection.roundTripPublic(body, name)
        }
        for (body, name) in [(proposal, "proposal"), (commit, "commit"), (application, "application")] {
            try protection.roundTripPrivate(body, name)
        }
        let signedApplication = try protection.sign(application, .publicMessage, "application")
        try expectRefused("application data as a PublicMessage") {
            _ = try PublicMessage.protect(signedApplication, suite: protection.suite, membershipKey: entry.membership_key.bytes,
                                          groupContext: protection.groupContext)
        }
    }

    /// One entry's group: its context, keys and a fresh two-leaf secret tree per message.
    struct Protection {
        let entry: Entry
        let suite: any CipherSuite
        let groupContext: GroupContext

        init(entry: Entry, suite: any CipherSuite) {
            self.entry = entry
            self.suite = suite
            groupContext = GroupContext(cipherSuite: suite.id, groupID: entry.group_id.bytes, epoch: entry.epoch,
                                        treeHash: entry.tree_hash.bytes,
                                        confirmedTranscriptHash: entry.confirmed_transcript_hash.bytes)
        }

        var secretTree: SecretTree { SecretTree(suite: suite, encryptionSecret: entry.encryption_secret.bytes, leafCount: 2) }

        /// Decodes an MLSMessage and checks it re-encodes to the same bytes.
        func decode(_ bytes: [UInt8], _ name: String) throws -> MLSMessage.Body {
            let message = try step("decoding \(name)") { try MLSMessage(mlsEncoded: bytes) }
            try expectEqual(message.mlsEncoded, bytes, "\(name) re-encoded")
            return message.body
        }

        /// Unprotects a PublicMessage, checking membership tag, sender and signature.
        func openPublic(_ bytes: [UInt8], _ name: String) throws -> FramedContent.Body {
            guard case .publicMessage(let message) = try decode(bytes, name) else {
                throw MLSVectorMismatch("\(name) is not a PublicMessage")
            }
            let content = try step("unprotecting \(name)") {
                try message.unprotect(suite: suite, membershipKey: entry.membership_key.bytes, groupContext: groupContext)
            }
            return try checkSenderAndSignature(content, name)
        }

        /// Unprotects a PrivateMessage with a fresh secret tree, checking sender and signature.
        func openPrivate(_ bytes: [UInt8], _ name: String) throws -> FramedContent.Body {
            guard case .privateMessage(let message) = try decode(bytes, name) else {
                throw MLSVectorMismatch("\(name) is not a PrivateMessage")
            }
            var tree = secretTree
            let content = try step("unprotecting \(name)") {
                try message.unprotect(suite: suite, secretTree: &tree, senderDataSecret: entry.sender_data_secret.bytes)
            }
            return try checkSenderAndSignature(content, name)
        }

        private func checkSenderAndSignature(_ content: AuthenticatedContent, _ name: String) throws -> FramedContent.Body {
            try expectEqual(content.content.sender, .member(sender), "sender of \(name)")
            try step("signature of \(name)") {
                try content.checkSignature(suite: suite, signatureKey: entry.signature_pub.bytes, groupContext: groupContext)
            }
            return content.content.body
        }

        /// Signs `body` as leaf 1; Commits also get a confirmation tag (any key will do: it is not checked here).
        func sign(_ body: FramedContent.Body, _ wireFormat: WireFormat, _ name: String) throws -> AuthenticatedContent {
            let framed = FramedContent(groupID: entry.group_id.bytes, epoch: entry.epoch, sender: .member(sender),
                                       authenticatedData: Array("aad".utf8), body: body)
            var content = try step("signing our own \(name)") {
                try AuthenticatedContent.sign(wireFormat: wireFormat, content: framed, suite: suite,
                                              signaturePrivateKey: entry.signature_priv.bytes, groupContext: groupContext)
            }
            if case .commit = body {
                content.auth.confirmationTag = ConfirmationTag.compute(
                    suite: suite, confirmationKey: [UInt8](repeating: 3, count: suite.hashLength),
                    confirmedTranscriptHash: entry.confirmed_transcript_hash.bytes)
            }
            return content
        }

        /// Protects our own PublicMessage, then opens and verifies it.
        func roundTripPublic(_ body: FramedContent.Body, _ name: String) throws {
            let signed = try sign(body, .publicMessage, name)
            let message = try step("protecting our own \(name) as a PublicMessage") {
                try PublicMessage.protect(signed, suite: suite, membershipKey: entry.membership_key.bytes, groupContext: groupContext)
            }
            let opened = try openPublic(MLSMessage(.publicMessage(message)).mlsEncoded, "our own public \(name)")
            try expect(opened == body, "our own public \(name) opens to other content")
        }

        /// Protects our own PrivateMessage with a fresh sender tree, then opens and verifies it.
        func roundTripPrivate(_ body: FramedContent.Body, _ name: String) throws {
            let signed = try sign(body, .privateMessage, name)
            var senderTree = secretTree
            let message = try step("protecting our own \(name) as a PrivateMessage") {
                try PrivateMessage.protect(signed, suite: suite, secretTree: &senderTree,
                                           senderDataSecret: entry.sender_data_secret.bytes, paddingLength: 7)
            }
            let opened = try openPrivate(MLSMessage(.privateMessage(message)).mlsEncoded, "our own private \(name)")
            try expect(opened == body, "our own private \(name) opens to other content")
        }
    }
}
