/// One extension: a type and its opaque payload (RFC 9420, Section 7.2).
///
/// ```
/// struct {
///     ExtensionType extension_type;
///     opaque extension_data<V>;
/// } Extension;
/// ```
///
/// Typed payloads (``RatchetTreeExtension``, ``RequiredCapabilitiesExtension`` and so on) are
/// parsed from ``data`` on demand, so unknown extensions survive a decode/encode round trip.
public struct Extension: Hashable, Sendable, MLSCodable {
    /// Which extension this is.
    public var type: ExtensionType
    /// The extension's encoded payload.
    public var data: [UInt8]

    /// Creates an extension from its type and raw payload.
    public init(type: ExtensionType, data: [UInt8]) {
        self.type = type
        self.data = data
    }

    public func encode(to encoder: inout MLSEncoder) {
        encoder.write(type)
        encoder.writeOpaque(data)
    }

    /// Creates a value from its fields.
    public init(from decoder: inout MLSDecoder) throws {
        type = try decoder.read()
        data = try decoder.readOpaque()
    }
}

extension Array where Element == Extension {
    /// The first extension of `type`, if present.
    public func first(ofType type: ExtensionType) -> Extension? {
        first { $0.type == type }
    }

    /// Whether two entries share a type; MLS forbids duplicates in one list (Section 13).
    public var hasDuplicateTypes: Bool {
        Set(map(\.type)).count != count
    }
}
