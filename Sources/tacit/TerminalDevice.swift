#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import TacitTerminal


/// The controlling terminal of `tacit chat`: raw mode via termios (restored on every way
/// out, including SIGINT, SIGTERM and `exit`), its size, and unbuffered output.
enum TerminalDevice {
    /// Whether standard input and output are both terminals.
    static var isInteractive: Bool { isatty(0) == 1 && isatty(1) == 1 }

    /// Switches standard input to raw mode (no echo, no line editing, no signals from
    /// keys, 8-bit) and the screen to the alternate buffer.
    static func enterRawMode() throws {
        var original = termios()
        guard tcgetattr(0, &original) == 0 else { throw CLIError("standard input is not a terminal") }
        savedSettings.withLock { $0 = original }
        var raw = original
        raw.c_iflag &= ~tcflag_t(BRKINT | ICRNL | INPCK | ISTRIP | IXON)
        raw.c_oflag &= ~tcflag_t(OPOST)
        raw.c_cflag |= tcflag_t(CS8)
        raw.c_lflag &= ~tcflag_t(ECHO | ICANON | IEXTEN | ISIG)
        withUnsafeMutableBytes(of: &raw.c_cc) { bytes in
            bytes[Int(VMIN)] = 1
            bytes[Int(VTIME)] = 0
        }
        guard tcsetattr(0, TCSAFLUSH, &raw) == 0 else { throw CLIError("cannot switch the terminal to raw mode") }
        atexit { TerminalDevice.restore() }
        output(FrameWriterStrings.enter)
    }

    /// Puts the terminal back as it was; safe to call more than once.
    static func restore() {
        guard var original = savedSettings.withLock({ settings -> termios? in
            defer { settings = nil }
            return settings
        }) else { return }
        output(FrameWriterStrings.leave)
        _ = tcsetattr(0, TCSAFLUSH, &original)
    }

    /// Columns and rows, from the terminal (falling back to $COLUMNS/$LINES, then 80×24).
    static func size() -> (width: Int, height: Int) {
        var window = winsize()
        if ioctl(1, UInt(TIOCGWINSZ), &window) == 0, window.ws_col > 0, window.ws_row > 0 {
            return (Int(window.ws_col), Int(window.ws_row))
        }
        let environment = ProcessInfo.processInfo.environment
        return (environment["COLUMNS"].flatMap(Int.init) ?? 80, environment["LINES"].flatMap(Int.init) ?? 24)
    }

    /// Writes all of `text` to standard output.
    static func output(_ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { buffer in
                write(1, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if written < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return
            }
            offset += written
        }
    }

    /// Reads standard input on a thread of its own and hands every chunk to `deliver`;
    /// `deliver(nil)` at end of input.
    static func readInput(_ deliver: @escaping @Sendable ([UInt8]?) -> Void) {
        Thread.detachNewThread {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(0, $0.baseAddress!, $0.count) }
                if count < 0, errno == EINTR { continue }
                guard count > 0 else {
                    deliver(nil)
                    return
                }
                deliver(Array(buffer[0..<count]))
            }
        }
    }

    private static let savedSettings = LockedValue<termios?>(nil)
}

/// The alternate-screen escapes, kept here so `restore()` needs no renderer.
enum FrameWriterStrings {
    static let enter = FrameWriter.enterAlternateScreen
    static let leave = FrameWriter.leaveAlternateScreen
}

/// A value behind a lock, for state a signal path and the UI share.
final class LockedValue<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()

    init(_ value: Value) {
        self.value = value
    }

    func withLock<T>(_ body: (inout Value) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}
