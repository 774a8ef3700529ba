/// One key press as the chat understands it.
public enum TerminalKey: Sendable, Equatable {
    /// Printable text (one or more characters, e.g. a paste).
    case text(String)
    case enter
    case backspace
    case delete
    case tab
    case backTab
    case up, down, left, right
    case home, end
    case pageUp, pageDown
    case escape
    /// Ctrl plus a letter, e.g. `.control("c")`.
    case control(Character)
}
