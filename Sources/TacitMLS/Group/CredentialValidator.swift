/// The application's policy for credentials (RFC 9420, Section 5.3.1): whether a credential is
/// acceptable for a leaf, and whether a member may replace its credential with another.
///
/// The group calls it for every leaf it accepts: KeyPackages in Adds, leaves in Updates and
/// UpdatePaths, and every leaf of a tree it joins.
public protocol CredentialValidator: Sendable {
    /// Whether `credential` is valid and binds `signatureKey`.
    func isValid(_ credential: Credential, signatureKey: SignaturePublicKey) -> Bool

    /// Whether a member holding `old` may present `new` instead (in an Update, a Commit's
    /// UpdatePath, or an external Commit that removes its old leaf).
    func isValidReplacement(of old: Credential, by new: Credential) -> Bool

    /// Whether `new`, in a group that reinitializes another, names the same member as `old` in
    /// the old group (Section 12.4.3.1: "according to the application").
    ///
    /// By default, whether ``isValidReplacement(of:by:)`` allows `new` in place of `old`.
    func isSameMember(_ old: Credential, as new: Credential) -> Bool
}

extension CredentialValidator {
    /// A member may show up in the new group with any credential that could replace its old one.
    public func isSameMember(_ old: Credential, as new: Credential) -> Bool {
        isValidReplacement(of: old, by: new)
    }
}

/// Accepts every basic credential and refuses X.509 ones (their chains cannot be verified here);
/// a member may only replace its credential with one naming the same identity.
public struct BasicCredentialValidator: CredentialValidator {
    /// Creates the validator.
    public init() {}

    public func isValid(_ credential: Credential, signatureKey: SignaturePublicKey) -> Bool {
        if case .basic = credential { return true }
        return false
    }

    public func isValidReplacement(of old: Credential, by new: Credential) -> Bool { old == new }
}
