/// What a resumption PSK is used for (RFC 9420, Section 8.4).
///
/// ```
/// enum { reserved(0), application(1), reinit(2), branch(3), (255) } ResumptionPSKUsage;
/// ```
public enum ResumptionPSKUsage: UInt8, Hashable, Sendable, MLSCodable {
    /// Application-defined use.
    case application = 1
    /// Reinitializing a group (Section 11.2).
    case reinit = 2
    /// Branching a subgroup (Section 11.3).
    case branch = 3

    public func encode(to encoder: inout MLSEncoder) { encoder.write(rawValue) }

    public init(from decoder: inout MLSDecoder) throws {
        let raw = try decoder.readUInt8()
        guard let value = ResumptionPSKUsage(rawValue: raw) else {
            throw MLSCodingError.unknownEnumValue(type: "ResumptionPSKUsage", value: UInt64(raw))
        }
        self = value
    }
}

/// Names one pre-shared key injected into the key schedule (RFC 9420, Section 8.4).
///
/// ```
/// struct {
///   PSKType psktype;
///   select (PreSharedKeyID.psktype) {
///     case external:   opaque psk_id<V>;
///     case resumption: ResumptionPSKUsage usage; opaque psk_group_id<V>; uint64 psk_epoch;
///   };
///   opaque psk_nonce<V>;
/// } PreSharedKeyID;
/// ```
public struct PreSharedKeyID: Hashable, Sendable, MLSCodable {
    /// The PSK's type and type-specific identifier.
    public enum Kind: Hashable, Sendable {
        /// `external(1)`: a PSK provisioned by the application, named by `psk_id`.
        case external(pskID: [UInt8])
        /// `resumption(2)`: the `resumption_psk` of group `groupID` at `epoch`.
        case resumption(usage: ResumptionPSKUsage, groupID: [UInt8], epoch: UInt64)
    }

    /// The PSK's type and identifier.
    public var kind: Kind
    /// A fresh random value of length `Nh`, so a PSK used twice gives different inputs.
    public var nonce: [UInt8]

    /// Creates a PSK identifier.
    public init(kind: Kind, nonce: [UInt8]) {
        self.kind = kind
        self.nonce = nonce
    }

    public func encode(to encoder: inout MLSEncoder) {
        switch kind {
        case .external(let pskID):
            encoder.write(UInt8(1))
            encoder.writeOpaque(pskID)
        case .resumption(let usage, let groupID, let epoch):
            encoder.write(UInt8(2))
            encoder.write(usage)
            encoder.writeOpaque(groupID)
            encoder.write(epoch)
        }
        encoder.writeOpaque(nonce)
    }

    public init(from decoder: inout MLSDecoder) throws {
        switch try decoder.readUInt8() {
        case 1:
            kind = .external(pskID: try decoder.readOpaque())
        case 2:
            let usage = try decoder.read(ResumptionPSKUsage.self)
            let groupID = try decoder.readOpaque()
            kind = .resumption(usage: usage, groupID: groupID, epoch: try decoder.readUInt64())
        case let other:
            throw MLSCodingError.unknownEnumValue(type: "PSKType", value: UInt64(other))
        }
        nonce = try decoder.readOpaque()
    }
}
