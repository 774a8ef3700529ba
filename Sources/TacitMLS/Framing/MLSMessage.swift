/// The outer envelope of every MLS message on the wire (RFC 9420, Section 6).
///
/// ```
/// struct {
///     ProtocolVersion version = mls10;
///     WireFormat wire_format;
///     select (MLSMessage.wire_format) {
///         case mls_public_message:  PublicMessage public_message;
///         case mls_private_message: PrivateMessage private_message;
///         case mls_welcome:         Welcome welcome;
///         case mls_group_info:      GroupInfo group_info;
///         case mls_key_package:     KeyPackage key_package;
///     };
/// } MLSMessage;
/// ```
/// Decoding refuses versions other than `mls10` and unknown wire formats.
public struct MLSMessage: Hashable, Sendable, MLSCodable {
    /// The message proper, tagged by its wire format.
    public enum Body: Hashable, Sendable {
        /// A PublicMessage.
        case publicMessage(PublicMessage)
        /// A PrivateMessage.
        case privateMessage(PrivateMessage)
        /// A Welcome.
        case welcome(Welcome)
        /// A GroupInfo.
        case groupInfo(GroupInfo)
        /// A KeyPackage.
        case keyPackage(KeyPackage)

        /// The wire format of this body.
        public var wireFormat: WireFormat {
            switch self {
            case .publicMessage: .publicMessage
            case .privateMessage: .privateMessage
            case .welcome: .welcome
            case .groupInfo: .groupInfo
            case .keyPackage: .keyPackage
            }
        }
    }

    /// The protocol version; always ``ProtocolVersion/mls10``.
    public var version: ProtocolVersion
    /// The message.
    public var body: Body

    /// The wire format of ``body``.
    public var wireFormat: WireFormat { body.wireFormat }

    /// Wraps `body` in an MLS 1.0 envelope.
    public init(_ body: Body) {
        version = .mls10
        self.body = body
    }

    public func encode(to encoder: inout MLSEncoder) {
        encoder.write(version)
        encoder.write(wireFormat)
        switch body {
        case .publicMessage(let message): encoder.write(message)
        case .privateMessage(let message): encoder.write(message)
        case .welcome(let welcome): encoder.write(welcome)
        case .groupInfo(let groupInfo): encoder.write(groupInfo)
        case .keyPackage(let keyPackage): encoder.write(keyPackage)
        }
    }

    public init(from decoder: inout MLSDecoder) throws {
        version = try decoder.read()
        guard version == .mls10 else {
            throw MLSCodingError.unknownEnumValue(type: "ProtocolVersion", value: UInt64(version.rawValue))
        }
        let wireFormat = try decoder.read(WireFormat.self)
        switch wireFormat {
        case .publicMessage: body = .publicMessage(try decoder.read())
        case .privateMessage: body = .privateMessage(try decoder.read())
        case .welcome: body = .welcome(try decoder.read())
        case .groupInfo: body = .groupInfo(try decoder.read())
        case .keyPackage: body = .keyPackage(try decoder.read())
        default: throw MLSCodingError.unknownEnumValue(type: "WireFormat", value: UInt64(wireFormat.rawValue))
        }
    }
}
