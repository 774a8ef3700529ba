/// The bytes a sender signs (RFC 9420, Section 6.1).
///
/// ```
/// struct {
///     ProtocolVersion version = mls10;
///     WireFormat wire_format;
///     FramedContent content;
///     select (FramedContentTBS.content.sender.sender_type) {
///         case member:
///         case new_member_commit: GroupContext context;
///         case external:
///         case new_member_proposal: struct{};
///     };
/// } FramedContentTBS;
/// ```
public struct FramedContentTBS: Hashable, Sendable, MLSEncodable {
    /// The label of `SignWithLabel` for content signatures.
    public static let signatureLabel = "FramedContentTBS"

    /// The wire format the content will be sent in.
    public var wireFormat: WireFormat
    /// The content.
    public var content: FramedContent
    /// The current GroupContext; encoded only for senders that sign it (``Sender/signsGroupContext``).
    public var groupContext: GroupContext

    /// Creates the to-be-signed structure.
    public init(wireFormat: WireFormat, content: FramedContent, groupContext: GroupContext) {
        self.wireFormat = wireFormat
        self.content = content
        self.groupContext = groupContext
    }

    public func encode(to encoder: inout MLSEncoder) {
        encoder.write(ProtocolVersion.mls10)
        encoder.write(wireFormat)
        encoder.write(content)
        if content.sender.signsGroupContext { encoder.write(groupContext) }
    }
}
