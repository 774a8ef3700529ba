/// The signature (and, for a Commit, the confirmation tag) that authenticates a
/// `FramedContent` (RFC 9420, Section 6.1).
///
/// ```
/// struct {
///     opaque signature<V>;   // SignWithLabel(., "FramedContentTBS", FramedContentTBS)
///     select (FramedContent.content_type) {
///         case commit: MAC confirmation_tag;   // MAC(confirmation_key, confirmed_transcript_hash)
///         case application:
///         case proposal: struct{};
///     };
/// } FramedContentAuthData;
/// ```
/// Its encoding depends on the content type, so it is written and read with one given.
public struct FramedContentAuthData: Hashable, Sendable {
    /// The signature over the `FramedContentTBS`.
    public var signature: [UInt8]
    /// The Commit's confirmation tag; `nil` for other content, and for a Commit not yet confirmed.
    public var confirmationTag: [UInt8]?

    /// Creates authentication data.
    public init(signature: [UInt8], confirmationTag: [UInt8]? = nil) {
        self.signature = signature
        self.confirmationTag = confirmationTag
    }

    /// Writes the structure for content of type `contentType`.
    public func encode(to encoder: inout MLSEncoder, contentType: ContentType) {
        encoder.writeOpaque(signature)
        if contentType == .commit { encoder.writeOpaque(confirmationTag ?? []) }
    }

    /// Reads the structure for content of type `contentType`.
    public init(from decoder: inout MLSDecoder, contentType: ContentType) throws {
        signature = try decoder.readOpaque()
        confirmationTag = contentType == .commit ? try decoder.readOpaque() : nil
    }
}
