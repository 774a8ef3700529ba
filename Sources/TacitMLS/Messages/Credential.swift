/// A member's credential, binding identities to its signature key (RFC 9420, Section 5.3).
///
/// ```
/// struct {
///     CredentialType credential_type;
///     select (Credential.credential_type) {
///         case basic: opaque identity<V>;
///         case x509:  Certificate certificates<V>;   // struct { opaque cert_data<V>; }
///     };
/// } Credential;
/// ```
///
/// X.509 chains are carried as opaque DER blobs; this library does not validate them.
/// A credential of any other type cannot be decoded, because its body has no length prefix.
public enum Credential: Hashable, Sendable, MLSCodable {
    /// A bare identity; its format is defined by the application.
    case basic(identity: [UInt8])
    /// DER-encoded certificates, end-entity first.
    case x509(certificates: [[UInt8]])

    /// The credential type.
    public var type: CredentialType {
        switch self {
        case .basic: .basic
        case .x509: .x509
        }
    }

    public func encode(to encoder: inout MLSEncoder) {
        encoder.write(type)
        switch self {
        case .basic(let identity):
            encoder.writeOpaque(identity)
        case .x509(let certificates):
            encoder.writeVector { inner in
                for certificate in certificates { inner.writeOpaque(certificate) }
            }
        }
    }

    /// Creates a value from its fields.
    public init(from decoder: inout MLSDecoder) throws {
        let type = try decoder.read(CredentialType.self)
        switch type {
        case .basic:
            self = .basic(identity: try decoder.readOpaque())
        case .x509:
            let certificates = try decoder.readVector { inner in
                var items: [[UInt8]] = []
                while !inner.isAtEnd { items.append(try inner.readOpaque()) }
                return items
            }
            self = .x509(certificates: certificates)
        default:
            throw MLSCodingError.unknownEnumValue(type: "CredentialType", value: UInt64(type.rawValue))
        }
    }
}
