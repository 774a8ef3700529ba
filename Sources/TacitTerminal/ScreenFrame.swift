/// One full screen: exactly `height` lines of exactly `width` cells, and where the cursor goes.
public struct ScreenFrame: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var lines: [String]
    /// Zero-based row and column of the cursor.
    public var cursorRow: Int
    public var cursorColumn: Int

    public init(width: Int, height: Int, lines: [String], cursorRow: Int, cursorColumn: Int) {
        self.width = width
        self.height = height
        self.lines = lines
        self.cursorRow = cursorRow
        self.cursorColumn = cursorColumn
    }

    /// The screen as plain text, one line per row, trailing spaces removed.
    public var plainText: String {
        lines.map { line in String(line.reversed().drop { $0 == " " }.reversed()) }.joined(separator: "\n")
    }
}
