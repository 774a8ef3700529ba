/// What an account shows about itself to its contacts (and only to them).
public struct Profile: Sendable, Equatable, Codable {
    /// The name to show instead of the username; empty: none.
    public var displayName: String
    /// An attachment reference (or URL) for the avatar.
    public var avatar: String?

    public init(displayName: String = "", avatar: String? = nil) {
        self.displayName = displayName
        self.avatar = avatar
    }
}
