/// Which of a leaf's two hash ratchets a message uses (RFC 9420, Section 9).
public enum RatchetType: Hashable, Sendable {
    /// Proposals and Commits.
    case handshake
    /// Application messages.
    case application
}
