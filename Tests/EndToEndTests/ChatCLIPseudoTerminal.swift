import Foundation
import TacitTestSupport
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `tacit` running on a pseudo-terminal, as a person would run `tacit chat`: the test
/// types into the master side and reads the screen back through ``TerminalScreen``.
final class PseudoTerminalChild: @unchecked Sendable {
    let process = Process()
    private let master: Int32
    private let slave: Int32
    private let output = Mutex(Data())
    private let screen: Mutex<TerminalScreen>

    init(arguments: [String], width: Int = 80, height: Int = 24, environment: [String: String] = [:]) throws {
        struct PTYFailed: Error, CustomStringConvertible { var description: String }
        // posix_openpt and friends are hidden behind _XOPEN_SOURCE in the Glibc module, so
        // this talks to /dev/ptmx directly (Linux ioctls TIOCSPTLCK and TIOCGPTN).
        let master = open("/dev/ptmx", O_RDWR | O_NOCTTY)
        var unlock: Int32 = 0
        var number: UInt32 = 0
        guard master >= 0, ioctl(master, 0x4004_5431, &unlock) == 0, ioctl(master, 0x8004_5430, &number) == 0 else {
            throw PTYFailed(description: "cannot open a pseudo-terminal: errno \(errno)")
        }
        let name = "/dev/pts/\(number)"
        let slave = open(name, O_RDWR | O_NOCTTY)
        guard slave >= 0 else { throw PTYFailed(description: "cannot open \(name): errno \(errno)") }
        self.master = master
        self.slave = slave
        screen = Mutex(TerminalScreen(width: width, height: height))
        Self.setSize(slave, width: width, height: height)

        process.executableURL = try TacitBinary.url()
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("TACIT_") && !$0.key.hasPrefix("LC_") }
        env["TERM"] = "xterm-256color"
        env["LANG"] = "C.UTF-8"
        env.merge(environment) { _, new in new }
        process.environment = env
        let handle = FileHandle(fileDescriptor: slave, closeOnDealloc: false)
        process.standardInput = handle
        process.standardOutput = handle
        process.standardError = handle
        try process.run()

        Thread.detachNewThread { [self] in
            var buffer = [UInt8](repeating: 0, count: 8192)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress!, $0.count) }
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { break }
                let chunk = Array(buffer[0..<count])
                output.withLock { $0.append(contentsOf: chunk) }
                screen.withLock { $0.feed(chunk) }
            }
        }
    }

    deinit {
        close(slave)
        close(master)
    }

    /// Everything the program wrote, escapes included.
    var rawOutput: String { String(decoding: output.withLock { $0 }, as: UTF8.self) }
    /// The screen as plain text.
    var screenText: String { screen.withLock { $0.text } }
    var screenLines: [String] { screen.withLock { $0.lines } }

    /// Whether the program switched back from the alternate screen.
    var leftAlternateScreen: Bool { screen.withLock { $0.leftAlternateScreen } }

    /// Whether the terminal is back in cooked mode (echo and line editing on).
    var terminalIsCooked: Bool {
        var settings = termios()
        guard tcgetattr(slave, &settings) == 0 else { return false }
        return settings.c_lflag & tcflag_t(ECHO) != 0 && settings.c_lflag & tcflag_t(ICANON) != 0
    }

    func type(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(master, $0.baseAddress!, $0.count) }
    }

    /// Types `text` a few characters at a time, as a person would.
    func typeSlowly(_ text: String) async throws {
        for character in text {
            type(String(character))
            try await Task.sleep(for: .milliseconds(15))
        }
    }

    /// Changes the terminal size and tells the program (SIGWINCH), as a terminal window does.
    func resize(width: Int, height: Int) {
        screen.withLock { $0.resize(width: width, height: height) }
        Self.setSize(slave, width: width, height: height)
        _ = sendSignal(SIGWINCH, to: process.processIdentifier)
    }

    /// Waits until the screen satisfies `condition`.
    func waitForScreen(_ what: String, timeout: Double = 60, _ condition: (String) -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(timeout)
        while !condition(screenText) {
            guard ContinuousClock.now < deadline, process.isRunning else {
                throw TimedOut(what: "\(what); the screen shows:\n\(screenText)")
            }
            try await Task.sleep(for: .milliseconds(25))
        }
    }

    func waitForExit(timeout: Double = 20) async -> Int32 {
        let deadline = ContinuousClock.now + .seconds(timeout)
        while !process.hasEnded, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(10)) }
        if !process.hasEnded { _ = sendSignal(SIGKILL, to: process.processIdentifier) }
        let killed = ContinuousClock.now + .seconds(10)
        while !process.hasEnded, ContinuousClock.now < killed { try? await Task.sleep(for: .milliseconds(10)) }
        try? await Task.sleep(for: .milliseconds(100))  // the reader drains the last bytes
        return process.endStatus
    }

    private static func setSize(_ fd: Int32, width: Int, height: Int) {
        var size = winsize(ws_row: UInt16(height), ws_col: UInt16(width), ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(fd, UInt(TIOCSWINSZ), &size)
    }
}

/// A small terminal emulator: enough of xterm for what `tacit chat` writes (cursor
/// positioning, erase in line/display, the alternate screen), so tests see the screen a
/// person would see.
struct TerminalScreen: Sendable {
    private(set) var width: Int
    private(set) var height: Int
    private var cells: [[String]]
    private var row = 0
    private var column = 0
    private var pending: [UInt8] = []
    /// Whether the program switched back to the normal screen.
    private(set) var leftAlternateScreen = false

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
        cells = Array(repeating: Array(repeating: " ", count: width), count: height)
    }

    var lines: [String] {
        cells.map { String($0.joined().reversed().drop { $0 == " " }.reversed()) }
    }

    var text: String { lines.joined(separator: "\n") }

    mutating func resize(width: Int, height: Int) {
        self.width = width
        self.height = height
        cells = Array(repeating: Array(repeating: " ", count: width), count: height)
        row = min(row, height - 1)
        column = min(column, width - 1)
    }

    mutating func feed(_ bytes: [UInt8]) {
        pending += bytes
        var index = 0
        while index < pending.count {
            let byte = pending[index]
            if byte == 0x1B {
                guard index + 1 < pending.count else { break }
                if pending[index + 1] == UInt8(ascii: "[") {
                    var end = index + 2
                    while end < pending.count, !(0x40...0x7E).contains(pending[end]) { end += 1 }
                    guard end < pending.count else { break }
                    csi(String(decoding: pending[(index + 2)..<end], as: UTF8.self), final: pending[end])
                    index = end + 1
                } else {
                    index += 2
                }
                continue
            }
            if byte == 0x0D { column = 0; index += 1; continue }
            if byte == 0x0A { row = min(height - 1, row + 1); index += 1; continue }
            if byte < 0x20 { index += 1; continue }
            let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
            guard index + length <= pending.count else { break }
            put(String(decoding: pending[index..<(index + length)], as: UTF8.self))
            index += length
        }
        pending.removeFirst(index)
    }

    private mutating func put(_ character: String) {
        guard row < height, column < width else { return }
        let scalar = character.unicodeScalars.first?.value ?? 0
        if scalar == 0xFE0F || (0x300...0x36F).contains(scalar) { return }  // joins the cell before
        let wide = (0x1100...0x115F).contains(scalar) || (0x2E80...0xA4CF).contains(scalar)
            || (0xAC00...0xD7A3).contains(scalar) || (0xF900...0xFAFF).contains(scalar)
            || (0xFF00...0xFF60).contains(scalar) || (0x1F300...0x1FAFF).contains(scalar)
        cells[row][column] = character
        column += 1
        if wide, column < width {
            cells[row][column] = ""
            column += 1
        }
    }

    private mutating func csi(_ parameters: String, final: UInt8) {
        let numbers = parameters.split(separator: ";", omittingEmptySubsequences: false).map { Int($0) }
        switch final {
        case UInt8(ascii: "H"):
            row = max(1, min(height, (numbers.first ?? 1) ?? 1)) - 1
            column = max(1, min(width, (numbers.count > 1 ? numbers[1] : 1) ?? 1)) - 1
        case UInt8(ascii: "J"):
            if parameters == "2" {
                cells = Array(repeating: Array(repeating: " ", count: width), count: height)
            }
        case UInt8(ascii: "K"):
            if row < height { for index in column..<width { cells[row][index] = " " } }
        case UInt8(ascii: "l") where parameters == "?1049":
            leftAlternateScreen = true
        case UInt8(ascii: "h") where parameters == "?1049":
            leftAlternateScreen = false
        default:
            break
        }
    }
}
