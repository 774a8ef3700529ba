/// The formats of the MLS working group's interop test vectors (mls-implementations, `test-vectors.md`).
public enum MLSVectorKind: String, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    case treeMath = "tree-math"
    case cryptoBasics = "crypto-basics"
    case deserialization
    case secretTree = "secret-tree"
    case messageProtection = "message-protection"
    case keySchedule = "key-schedule"
    case pskSecret = "psk_secret"
    case transcriptHashes = "transcript-hashes"
    case treeOperations = "tree-operations"
    case treeValidation = "tree-validation"
    case treeKEM = "treekem"
    case messages
    case welcome
    case passiveClient = "passive-client"

    /// The format's name as the upstream file names spell it.
    public var description: String { rawValue }

    /// Keys every entry of this format has and that, together, no other format has.
    ///
    /// Used to recognise a file whose name says nothing; checked against the first entry.
    var distinctiveKeys: Set<String> {
        switch self {
        case .treeMath: ["n_leaves", "n_nodes", "root", "left", "right", "parent", "sibling"]
        case .cryptoBasics: ["ref_hash", "expand_with_label", "derive_secret", "sign_with_label", "encrypt_with_label"]
        case .deserialization: ["vlbytes_header", "length"]
        case .secretTree: ["sender_data", "encryption_secret", "leaves"]
        case .messageProtection: ["proposal_pub", "proposal_priv", "commit_pub", "commit_priv", "application_priv"]
        case .keySchedule: ["initial_init_secret", "epochs"]
        case .pskSecret: ["psks", "psk_secret"]
        case .transcriptHashes: ["authenticated_content", "interim_transcript_hash_before", "confirmed_transcript_hash_after"]
        case .treeOperations: ["tree_before", "proposal", "proposal_sender", "tree_after"]
        case .treeValidation: ["tree", "group_id", "resolutions", "tree_hashes"]
        case .treeKEM: ["ratchet_tree", "leaves_private", "update_paths"]
        case .messages: ["mls_welcome", "mls_group_info", "mls_key_package", "public_message_commit", "private_message"]
        case .welcome: ["init_priv", "signer_pub", "key_package", "welcome"]
        case .passiveClient: ["welcome", "initial_epoch_authenticator", "epochs", "init_priv", "encryption_priv"]
        }
    }
}
