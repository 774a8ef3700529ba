import SwiftProtobuf

/// Why bytes are not a valid protocol message.
public struct WireDecodingError: Error, Equatable, Sendable, CustomStringConvertible {
    public var typeName: String
    public var description: String { "the bytes are not a valid \(typeName)" }
}

/// Encoding and decoding of protocol messages, so callers need not import SwiftProtobuf.
public enum WireCoding {
    /// The binary protobuf encoding of `message`.
    public static func encode(_ message: some SwiftProtobuf.Message) -> [UInt8] {
        // Encoding a proto3 message only fails for missing required fields, which proto3 has none of.
        (try? message.serializedBytes()) ?? []
    }

    /// Decodes a `type` from its binary protobuf encoding.
    public static func decode<M: SwiftProtobuf.Message>(_ type: M.Type,
                                                        from bytes: some Collection<UInt8>) throws(WireDecodingError) -> M {
        do {
            return try M(serializedBytes: Array(bytes))
        } catch {
            throw WireDecodingError(typeName: String(describing: type))
        }
    }
}
