/// The shape of link codes: twelve characters from an alphabet without look-alikes,
/// grouped by dashes (`7KQM-X3FD-9TZA`), about 60 bits — far too many to guess while a
/// code is valid, and short enough to type from one screen into another.
enum LinkCodeFormat {
    static let alphabet = Array("23456789ABCDEFGHJKMNPQRSTVWXYZ")
    static let groups = 3
    static let groupLength = 4

    /// A fresh random code.
    static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let groupsText = (0..<groups).map { _ in
            String((0..<groupLength).map { _ in alphabet.randomElement(using: &generator) ?? "2" })
        }
        return groupsText.joined(separator: "-")
    }

    /// The canonical form of a code as a person typed it (any case, spaces, missing dashes),
    /// or `nil` if it cannot be a link code.
    static func normalize(_ typed: String) -> String? {
        let characters = typed.uppercased().filter { $0 != "-" && !$0.isWhitespace }
        guard characters.count == groups * groupLength, characters.allSatisfy(alphabet.contains) else {
            return nil
        }
        let chunks = stride(from: 0, to: characters.count, by: groupLength).map { start in
            let from = characters.index(characters.startIndex, offsetBy: start)
            let to = characters.index(from, offsetBy: groupLength)
            return String(characters[from..<to])
        }
        return chunks.joined(separator: "-")
    }
}
