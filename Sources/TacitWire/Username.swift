/// Account names: the only identifier an account has (no phone number, no e-mail).
///
/// A username is 3–32 characters of `a-z 0-9 _ .`, compared case-folded. Names that could
/// pass for staff or the system are reserved.
public enum Username {
    public enum Problem: Error, Equatable, Sendable, CustomStringConvertible {
        case length(Int)
        case character(Character)
        case reserved(String)

        public var description: String {
            switch self {
            case .length(let count): "a username has 3 to 32 characters, not \(count)"
            case .character(let c): "a username may use only a-z, 0-9, '_' and '.', not '\(c)'"
            case .reserved(let name): "the username '\(name)' is reserved"
            }
        }
    }

    /// Names nobody may register.
    public static let reserved: Set<String> = [
        "admin", "administrator", "root", "system", "support", "help", "tacit", "server",
        "operator", "moderator", "security", "official", "staff", "team", "null", "nobody",
        "everyone", "all", "here", "me", "you", "api", "www", "mail", "postmaster", "abuse",
    ]

    /// The canonical form of `name`: lower-cased and validated.
    public static func normalize(_ name: String) throws(Problem) -> String {
        let folded = name.lowercased()
        guard (3...32).contains(folded.count) else { throw .length(folded.count) }
        for c in folded where !(c.isASCII && (c.isLetter || c.isNumber || c == "_" || c == ".")) {
            throw .character(c)
        }
        guard !reserved.contains(folded) else { throw .reserved(folded) }
        return folded
    }
}
