/// A request to reinitialize the group with new parameters (RFC 9420, Section 12.1.5).
///
/// ```
/// struct {
///     opaque group_id<V>;
///     ProtocolVersion version;
///     CipherSuite cipher_suite;
///     Extension extensions<V>;
/// } ReInit;
/// ```
public struct ReInitProposal: Hashable, Sendable, MLSCodable {
    /// The identifier of the new group.
    public var groupID: [UInt8]
    /// The protocol version.
    public var version: ProtocolVersion
    /// The cipher suite.
    public var cipherSuite: CipherSuiteID
    /// Extensions; unknown ones are kept and ignored.
    public var extensions: [Extension]

    /// Creates a value from its fields.
    public init(groupID: [UInt8], version: ProtocolVersion = .mls10, cipherSuite: CipherSuiteID,
                extensions: [Extension] = []) {
        self.groupID = groupID
        self.version = version
        self.cipherSuite = cipherSuite
        self.extensions = extensions
    }

    public func encode(to encoder: inout MLSEncoder) {
        encoder.writeOpaque(groupID)
        encoder.write(version)
        encoder.write(cipherSuite)
        encoder.writeVector(extensions)
    }

    /// Creates a value from its fields.
    public init(from decoder: inout MLSDecoder) throws {
        groupID = try decoder.readOpaque()
        version = try decoder.read()
        cipherSuite = try decoder.read()
        extensions = try decoder.readVector()
    }
}
