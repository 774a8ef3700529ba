/// A message's content with its routing fields, before authentication (RFC 9420, Section 6).
///
/// ```
/// struct {
///     opaque group_id<V>;
///     uint64 epoch;
///     Sender sender;
///     opaque authenticated_data<V>;
///     ContentType content_type;
///     select (FramedContent.content_type) {
///         case application: opaque application_data<V>;
///         case proposal:    Proposal proposal;
///         case commit:      Commit commit;
///     };
/// } FramedContent;
/// ```
public struct FramedContent: Hashable, Sendable, MLSCodable {
    /// The content proper, tagged by its ``ContentType``.
    public enum Body: Hashable, Sendable {
        /// Application data.
        case application([UInt8])
        /// A Proposal.
        case proposal(Proposal)
        /// A Commit.
        case commit(Commit)

        /// The content type of this body.
        public var contentType: ContentType {
            switch self {
            case .application: .application
            case .proposal: .proposal
            case .commit: .commit
            }
        }

        /// Writes the body without its content type (as in `PrivateMessageContent`).
        func encode(to encoder: inout MLSEncoder) {
            switch self {
            case .application(let data): encoder.writeOpaque(data)
            case .proposal(let proposal): encoder.write(proposal)
            case .commit(let commit): encoder.write(commit)
            }
        }

        /// Reads a body of a known content type.
        init(from decoder: inout MLSDecoder, contentType: ContentType) throws {
            switch contentType {
            case .application: self = .application(try decoder.readOpaque())
            case .proposal: self = .proposal(try decoder.read())
            case .commit: self = .commit(try decoder.read())
            }
        }
    }

    /// The group this content belongs to.
    public var groupID: [UInt8]
    /// The epoch it was sent in.
    public var epoch: UInt64
    /// Who sent it.
    public var sender: Sender
    /// Application-chosen data that is authenticated but not encrypted.
    public var authenticatedData: [UInt8]
    /// The content.
    public var body: Body

    /// The content type of ``body``.
    public var contentType: ContentType { body.contentType }

    /// Creates framed content.
    public init(groupID: [UInt8], epoch: UInt64, sender: Sender, authenticatedData: [UInt8] = [], body: Body) {
        self.groupID = groupID
        self.epoch = epoch
        self.sender = sender
        self.authenticatedData = authenticatedData
        self.body = body
    }

    public func encode(to encoder: inout MLSEncoder) {
        encoder.writeOpaque(groupID)
        encoder.write(epoch)
        encoder.write(sender)
        encoder.writeOpaque(authenticatedData)
        encoder.write(contentType)
        body.encode(to: &encoder)
    }

    public init(from decoder: inout MLSDecoder) throws {
        groupID = try decoder.readOpaque()
        epoch = try decoder.readUInt64()
        sender = try decoder.read()
        authenticatedData = try decoder.readOpaque()
        body = try Body(from: &decoder, contentType: try decoder.read())
    }
}
