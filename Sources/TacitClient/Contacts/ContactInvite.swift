import Foundation

/// An invite to become a contact, shared as a link or QR code:
/// `tacit://contact/<server-host>/<username>?t=<token>`.
///
/// The token was made by the inviter's device; a contact request that carries it is accepted
/// by the inviter's devices without asking, since only someone who got the link knows it.
public struct ContactInvite: Sendable, Equatable, Codable, CustomStringConvertible {
    /// The inviter's server (host, with `:port` if not the default).
    public var server: String
    public var username: String
    public var token: String

    public init(server: String, username: String, token: String) {
        self.server = server
        self.username = username
        self.token = token
    }

    /// Parses the link (or QR payload) text.
    public init(parsing text: String) throws(MessengerError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let components = URLComponents(string: trimmed), components.scheme == "tacit",
              components.host == "contact" else {
            throw .invalidInvite("expected tacit://contact/<server>/<username>?t=<token>")
        }
        let parts = components.path.split(separator: "/").map(String.init)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw .invalidInvite("expected tacit://contact/<server>/<username>?t=<token>")
        }
        guard let token = components.queryItems?.first(where: { $0.name == "t" })?.value,
              token.count >= 16, token.count <= 128, token.allSatisfy({ $0.isLetter || $0.isNumber }) else {
            throw .invalidInvite("the link has no valid token")
        }
        self.init(server: parts[0], username: parts[1].lowercased(), token: token)
    }

    /// The link text.
    public var description: String { "tacit://contact/\(server)/\(username)?t=\(token)" }
}
