/// A conversation's id: the id of its MLS group (random bytes chosen by its creator).
public struct ConversationID: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The MLS group id.
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Parses the hex form that ``description`` prints.
    public init?(hex: String) {
        guard let bytes = [UInt8](hexString: hex), !bytes.isEmpty else { return nil }
        self.bytes = bytes
    }

    /// Lower-case hex.
    public var description: String { bytes.hexString }

    /// The first 8 hex digits, enough to tell conversations apart on a screen.
    public var shortDescription: String { String(description.prefix(8)) }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = ConversationID(hex: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a hex id"))
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
