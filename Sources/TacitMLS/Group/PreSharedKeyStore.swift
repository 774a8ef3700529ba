/// Where a group looks up PSKs it does not hold itself (RFC 9420, Section 8.4).
///
/// Resumption PSKs of the group's own recent epochs are kept in the group state; this store is
/// asked for external PSKs and for resumption PSKs of other groups or older epochs.
public protocol PreSharedKeyStore: Sendable {
    /// The secret of the external PSK `pskID`, or `nil` if unknown.
    func externalPSK(id pskID: [UInt8]) -> [UInt8]?

    /// The `resumption_psk` of group `groupID` at `epoch`, or `nil` if unknown.
    func resumptionPSK(groupID: [UInt8], epoch: UInt64) -> [UInt8]?
}

extension PreSharedKeyStore {
    /// By default a store holds no resumption PSKs.
    public func resumptionPSK(groupID: [UInt8], epoch: UInt64) -> [UInt8]? { nil }
}

/// A PSK store backed by dictionaries.
public struct InMemoryPreSharedKeyStore: PreSharedKeyStore, SecretRedacting {
    /// External PSKs by `psk_id`.
    public var external: [[UInt8]: [UInt8]]
    /// Resumption PSKs by group ID, then epoch.
    public var resumption: [[UInt8]: [UInt64: [UInt8]]]

    /// Creates a store from its dictionaries.
    public init(external: [[UInt8]: [UInt8]] = [:], resumption: [[UInt8]: [UInt64: [UInt8]]] = [:]) {
        self.external = external
        self.resumption = resumption
    }

    public func externalPSK(id pskID: [UInt8]) -> [UInt8]? { external[pskID] }

    public func resumptionPSK(groupID: [UInt8], epoch: UInt64) -> [UInt8]? { resumption[groupID]?[epoch] }

    public var description: String { "InMemoryPreSharedKeyStore(\(external.count) external, secrets: redacted)" }
}
