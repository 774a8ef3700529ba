/// The bytes that turn what the terminal shows into a new ``ScreenFrame``: only the rows that
/// changed are rewritten (no flicker from clearing), each ending in erase-to-end-of-line; a
/// new size (or the first frame) clears and draws everything.
public struct FrameWriter: Sendable {
    private var shown: ScreenFrame?

    public init() {}

    /// Forgets what is on screen, so the next frame is drawn in full (after a resize).
    public mutating func invalidate() {
        shown = nil
    }

    public mutating func output(for frame: ScreenFrame) -> String {
        var out = "\u{1B}[?25l"
        let previous = shown.flatMap { $0.width == frame.width && $0.height == frame.height ? $0 : nil }
        if previous == nil { out += "\u{1B}[H\u{1B}[2J" }
        for (row, line) in frame.lines.enumerated() {
            if let previous, row < previous.lines.count, previous.lines[row] == line { continue }
            let trimmed = String(line.reversed().drop { $0 == " " }.reversed())
            out += "\u{1B}[\(row + 1);1H" + trimmed + "\u{1B}[K"
        }
        out += "\u{1B}[\(frame.cursorRow + 1);\(frame.cursorColumn + 1)H\u{1B}[?25h"
        shown = frame
        return out
    }

    /// Switches to the alternate screen (the shell's scrollback stays untouched).
    public static let enterAlternateScreen = "\u{1B}[?1049h\u{1B}[H\u{1B}[2J"
    /// Back to the normal screen, cursor visible.
    public static let leaveAlternateScreen = "\u{1B}[?25h\u{1B}[?1049l"
}
