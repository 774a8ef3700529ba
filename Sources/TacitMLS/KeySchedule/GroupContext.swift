/// The summary of a group's state that every epoch secret is bound to (RFC 9420, Section 8.1).
///
/// ```
/// struct {
///     ProtocolVersion version = mls10;
///     CipherSuite cipher_suite;
///     opaque group_id<V>;
///     uint64 epoch;
///     opaque tree_hash<V>;
///     opaque confirmed_transcript_hash<V>;
///     Extension extensions<V>;
/// } GroupContext;
/// ```
public struct GroupContext: Hashable, Sendable, MLSCodable {
    /// The protocol version; always ``ProtocolVersion/mls10`` for groups we create.
    public var version: ProtocolVersion
    /// The group's cipher suite.
    public var cipherSuite: CipherSuiteID
    /// The application-chosen group identifier (constant for the group's life).
    public var groupID: [UInt8]
    /// The epoch number; increments with every Commit.
    public var epoch: UInt64
    /// The tree hash of the ratchet tree's root (Section 7.8).
    public var treeHash: [UInt8]
    /// The confirmed transcript hash after the Commit that started this epoch (Section 8.2).
    public var confirmedTranscriptHash: [UInt8]
    /// Group-wide extensions.
    public var extensions: [Extension]

    /// Creates a group context.
    public init(version: ProtocolVersion = .mls10, cipherSuite: CipherSuiteID, groupID: [UInt8], epoch: UInt64,
                treeHash: [UInt8], confirmedTranscriptHash: [UInt8], extensions: [Extension] = []) {
        self.version = version
        self.cipherSuite = cipherSuite
        self.groupID = groupID
        self.epoch = epoch
        self.treeHash = treeHash
        self.confirmedTranscriptHash = confirmedTranscriptHash
        self.extensions = extensions
    }

    public func encode(to encoder: inout MLSEncoder) {
        encoder.write(version)
        encoder.write(cipherSuite)
        encoder.writeOpaque(groupID)
        encoder.write(epoch)
        encoder.writeOpaque(treeHash)
        encoder.writeOpaque(confirmedTranscriptHash)
        encoder.writeVector(extensions)
    }

    public init(from decoder: inout MLSDecoder) throws {
        version = try decoder.read()
        cipherSuite = try decoder.read()
        groupID = try decoder.readOpaque()
        epoch = try decoder.readUInt64()
        treeHash = try decoder.readOpaque()
        confirmedTranscriptHash = try decoder.readOpaque()
        extensions = try decoder.readVector(of: Extension.self)
    }
}
