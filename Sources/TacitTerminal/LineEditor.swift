/// The compose line: text and a cursor, edited one key at a time.
public struct LineEditor: Sendable, Equatable {
    public private(set) var characters: [Character] = []
    /// Index into ``characters`` where the next character goes.
    public private(set) var cursor = 0

    public init(_ text: String = "") {
        characters = Array(text)
        cursor = characters.count
    }

    public var text: String { String(characters) }
    public var isEmpty: Bool { characters.isEmpty }

    public mutating func insert(_ text: String) {
        for character in text {
            characters.insert(character, at: cursor)
            cursor += 1
        }
    }

    public mutating func deleteBackward() {
        guard cursor > 0 else { return }
        cursor -= 1
        characters.remove(at: cursor)
    }

    public mutating func deleteForward() {
        guard cursor < characters.count else { return }
        characters.remove(at: cursor)
    }

    public mutating func moveLeft() { cursor = max(0, cursor - 1) }
    public mutating func moveRight() { cursor = min(characters.count, cursor + 1) }
    public mutating func moveToStart() { cursor = 0 }
    public mutating func moveToEnd() { cursor = characters.count }

    /// Deletes the word before the cursor (Ctrl-W).
    public mutating func deleteWordBackward() {
        while cursor > 0, characters[cursor - 1] == " " { deleteBackward() }
        while cursor > 0, characters[cursor - 1] != " " { deleteBackward() }
    }

    /// Empties the line and returns what it held.
    public mutating func take() -> String {
        let text = self.text
        characters.removeAll()
        cursor = 0
        return text
    }
}
