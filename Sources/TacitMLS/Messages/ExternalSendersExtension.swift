/// The `external_senders` group context extension: `ExternalSender external_senders<V>;`.
public struct ExternalSendersExtension: ExtensionPayload, Hashable, Sendable {
    /// The extension type this payload is carried under.
    public static var extensionType: ExtensionType { .externalSenders }

    /// The permitted external senders; a proposal's `sender_index` indexes this list.
    public var senders: [ExternalSender]

    /// Creates a value from its fields.
    public init(senders: [ExternalSender]) { self.senders = senders }

    public func encode(to encoder: inout MLSEncoder) { encoder.writeVector(senders) }
    /// Creates a value from its fields.
    public init(from decoder: inout MLSDecoder) throws { senders = try decoder.readVector() }
}
