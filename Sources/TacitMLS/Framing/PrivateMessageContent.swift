/// The plaintext of a PrivateMessage's `ciphertext` (RFC 9420, Section 6.3.1).
///
/// ```
/// struct {
///     select (PrivateMessage.content_type) {
///         case application: opaque application_data<V>;
///         case proposal:    Proposal proposal;
///         case commit:      Commit commit;
///     };
///     FramedContentAuthData auth;
///     opaque padding[length_of_padding];   // all zero
/// } PrivateMessageContent;
/// ```
public struct PrivateMessageContent: Hashable, Sendable {
    /// The content.
    public var body: FramedContent.Body
    /// Its authentication data.
    public var auth: FramedContentAuthData
    /// How many zero bytes follow.
    public var paddingLength: Int

    /// Creates a plaintext.
    public init(body: FramedContent.Body, auth: FramedContentAuthData, paddingLength: Int = 0) {
        self.body = body
        self.auth = auth
        self.paddingLength = max(0, paddingLength)
    }

    /// The encoded plaintext, padding included.
    public var encoded: [UInt8] {
        var encoder = MLSEncoder()
        body.encode(to: &encoder)
        auth.encode(to: &encoder, contentType: body.contentType)
        encoder.writeRaw(repeatElement(UInt8(0), count: paddingLength))
        return encoder.bytes
    }

    /// Parses a plaintext of content type `contentType`; the rest after `auth` must be zeros.
    public init(decoding plaintext: [UInt8], contentType: ContentType) throws {
        var decoder = MLSDecoder(plaintext)
        body = try FramedContent.Body(from: &decoder, contentType: contentType)
        auth = try FramedContentAuthData(from: &decoder, contentType: contentType)
        let padding = try decoder.readRaw(count: decoder.remaining)
        guard padding.allSatisfy({ $0 == 0 }) else { throw FramingError.nonZeroPadding }
        paddingLength = padding.count
    }
}
