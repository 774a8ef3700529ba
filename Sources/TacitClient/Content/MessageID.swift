import Foundation

/// The id of a chat message: 16 random bytes chosen by the sender.
///
/// Reactions, edits, recalls, replies and receipts name their target by it, and receivers
/// drop a second message with an id they already hold, so each message reaches the app once.
public struct MessageID: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The raw id.
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Parses the hex form that ``description`` prints; nil for anything else.
    public init?(hex: String) {
        guard let bytes = [UInt8](hexString: hex), !bytes.isEmpty else { return nil }
        self.bytes = bytes
    }

    /// A fresh random id.
    public static func random() -> MessageID {
        MessageID(bytes: randomBytes(16))
    }

    /// Lower-case hex.
    public var description: String { bytes.hexString }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = MessageID(hex: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a hex id"))
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// `count` bytes from the system's random number generator.
func randomBytes(_ count: Int) -> [UInt8] {
    var generator = SystemRandomNumberGenerator()
    return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
}

extension Array where Element == UInt8 {
    /// Parses lower- or upper-case hex; nil unless every pair of characters is a hex byte.
    init?(hexString: String) {
        let digits = Array(hexString.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = Self.nibble(digits[index]), let low = Self.nibble(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        self = bytes
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
