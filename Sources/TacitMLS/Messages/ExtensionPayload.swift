/// The typed body of one kind of ``Extension`` (RFC 9420, Section 13).
///
/// Conforming types name their ``ExtensionType``; ``Extension/init(_:)`` wraps a payload and
/// ``Extension/decodePayload(_:)`` parses one strictly (the payload must span `extension_data`).
public protocol ExtensionPayload: MLSCodable {
    /// The extension type this payload belongs to.
    static var extensionType: ExtensionType { get }
}

extension Extension {
    /// Wraps a typed payload.
    public init<Payload: ExtensionPayload>(_ payload: Payload) {
        self.init(type: Payload.extensionType, data: payload.mlsEncoded)
    }

    /// Parses the payload as `Payload`; throws if the type differs or the data is malformed.
    public func decodePayload<Payload: ExtensionPayload>(_: Payload.Type = Payload.self) throws -> Payload {
        guard type == Payload.extensionType else {
            throw MLSCodingError.invalidValue("extension \(type) is not \(Payload.extensionType)")
        }
        return try Payload(mlsEncoded: data)
    }
}

extension Array where Element == Extension {
    /// The payload of the first extension of `Payload`'s type, or `nil` if absent.
    public func payload<Payload: ExtensionPayload>(_: Payload.Type = Payload.self) throws -> Payload? {
        try first(ofType: Payload.extensionType)?.decodePayload()
    }
}
