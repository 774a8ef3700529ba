import TacitMLS

/// messages.json: every structure decodes and re-encodes byte-exact (RFC 9420, Sections 6, 10, 12).
///
/// Independent of cipher suites: the file mixes suites 1, 2 and 3 and only syntax is checked.
public enum MessagesVectorRunner: MLSVectorRunner {
    public struct Entry: Decodable, Sendable {
        public let mls_welcome, mls_group_info, mls_key_package: VectorHex
        public let ratchet_tree, group_secrets: VectorHex
        public let add_proposal, update_proposal, remove_proposal, pre_shared_key_proposal: VectorHex
        public let re_init_proposal, external_init_proposal, group_context_extensions_proposal: VectorHex
        public let commit: VectorHex
        public let public_message_application, public_message_proposal, public_message_commit, private_message: VectorHex
    }

    public static let kind = MLSVectorKind.messages
    public static var usesCipherSuite: Bool { false }

    public static func check(_ entry: Entry, in context: MLSVectorContext) throws {
        try checkMessages(entry)
        _ = try decodeExactly(GroupSecrets.self, entry.group_secrets.bytes, "group_secrets")
        _ = try decodeExactly(AddProposal.self, entry.add_proposal.bytes, "add_proposal")
        _ = try decodeExactly(UpdateProposal.self, entry.update_proposal.bytes, "update_proposal")
        _ = try decodeExactly(RemoveProposal.self, entry.remove_proposal.bytes, "remove_proposal")
        _ = try decodeExactly(PreSharedKeyProposal.self, entry.pre_shared_key_proposal.bytes, "pre_shared_key_proposal")
        _ = try decodeExactly(ReInitProposal.self, entry.re_init_proposal.bytes, "re_init_proposal")
        _ = try decodeExactly(ExternalInitProposal.self, entry.external_init_proposal.bytes, "external_init_proposal")
        _ = try decodeExactly(GroupContextExtensionsProposal.self, entry.group_context_extensions_proposal.bytes,
                              "group_context_extensions_proposal")
        _ = try decodeExactly(Commit.self, entry.commit.bytes, "commit")

        let tree = try decodeExactly(RatchetTree.self, entry.ratchet_tree.bytes, "ratchet_tree")
        try expect(tree.leafCount.nonzeroBitCount == 1, "ratchet_tree: \(tree.leafCount) leaves is not a full tree")
        _ = try decodeExactly(RatchetTreeExtension.self, entry.ratchet_tree.bytes, "ratchet_tree as an extension")
    }

    /// The MLSMessage fields: right wire format and content type, and membership tags exactly for members.
    private static func checkMessages(_ entry: Entry) throws {
        for (field, contentType) in [(entry.public_message_application, ContentType.application),
                                     (entry.public_message_proposal, .proposal), (entry.public_message_commit, .commit)] {
            let name = "public_message_\(contentType)"
            let message = try decodeMessage(field.bytes, name)
            guard case .publicMessage(let body) = message.body else { throw MLSVectorMismatch("\(name) is not a PublicMessage") }
            try expectEqual(body.content.contentType, contentType, "content type of \(name)")
            var fromMember = false
            if case .member = body.content.sender { fromMember = true }
            try expect((body.membershipTag != nil) == fromMember, "\(name): a membership tag must be present exactly for members")
        }
        try expectEqual(try decodeMessage(entry.private_message.bytes, "private_message").wireFormat, .privateMessage,
                        "wire format of private_message")
        guard case .welcome = try decodeMessage(entry.mls_welcome.bytes, "mls_welcome").body else {
            throw MLSVectorMismatch("mls_welcome is not a Welcome")
        }
        guard case .groupInfo = try decodeMessage(entry.mls_group_info.bytes, "mls_group_info").body else {
            throw MLSVectorMismatch("mls_group_info is not a GroupInfo")
        }
        guard case .keyPackage(let package) = try decodeMessage(entry.mls_key_package.bytes, "mls_key_package").body else {
            throw MLSVectorMismatch("mls_key_package is not a KeyPackage")
        }
        try expect(package.leafNode.lifetime != nil, "mls_key_package: a KeyPackage's leaf must carry a lifetime")
    }

    private static func decodeMessage(_ bytes: [UInt8], _ name: String) throws -> MLSMessage {
        let message = try decodeExactly(MLSMessage.self, bytes, name)
        try expectEqual(message.version, .mls10, "version of \(name)")
        return message
    }
}
