import ArgumentParser
import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TacitClient
import TacitTerminal

/// `tacit chat`: the interactive terminal client.
struct ChatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat",
        abstract: "Chat in the terminal: conversations, history, receipts, typing.",
        discussion: """
            Up/Down or Tab switch conversation, PgUp/PgDn scroll, Enter sends, Ctrl-C quits. \
            Commands in the compose line: /new USER, /group NAME USER..., /add, /remove, /leave, /rename, \
            /react, /reply, /edit, /recall, /contacts, /accept, /decline, /block, /invite, /help, /quit.
            """)

    @Flag(help: "Draw with ASCII only (default when the locale is not UTF-8).") var ascii = false
    @Flag(help: "Draw with Unicode lines and check marks even if the locale does not say UTF-8.") var unicode = false
    @Option(help: "On exit, write the last screen as plain text to this file.") var screenDump: String?
    @OptionGroup var options: ClientOptions

    func run() async throws {
        guard TerminalDevice.isInteractive else {
            throw CLIError("tacit chat needs a terminal; scripts can use tacit send and tacit read")
        }
        let asciiOnly = ascii || (!unicode && !Self.localeIsUTF8())
        try await withMessenger(options) { messenger in
            let (inputs, continuation) = AsyncStream<ChatApp.Input>.makeStream()
            let post: @Sendable (ChatApp.Input) -> Void = { continuation.yield($0) }
            let events = Task {
                for await event in await messenger.events() { post(.messenger(event)) }
            }
            let ticks = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    post(.tick)
                }
            }
            // Log lines would scribble over the screen: they go to chat.log in the home meanwhile.
            let stderrCopy = Self.redirectStandardError(to: options.clientHome.directory.appendingPathComponent("chat.log"))
            defer { Self.restoreStandardError(stderrCopy) }
            try TerminalDevice.enterRawMode()
            let signals = [
                Self.signalSource(SIGWINCH) { post(.resize) },
                Self.signalSource(SIGINT) { post(.quit) },
                Self.signalSource(SIGTERM) { post(.quit) },
                Self.signalSource(SIGHUP) { post(.quit) },
            ]
            TerminalDevice.readInput { bytes in post(bytes.map { ChatApp.Input.bytes($0) } ?? .endOfInput) }
            let app = ChatApp(messenger: messenger, ascii: asciiOnly, size: TerminalDevice.size(), post: post)
            await app.run(inputs)
            TerminalDevice.restore()
            for source in signals { source.cancel() }
            events.cancel()
            ticks.cancel()
            continuation.finish()
            if let screenDump {
                try Data((await app.plainText() + "\n").utf8).write(to: URL(fileURLWithPath: screenDump))
            }
        }
    }

    /// Whether LC_ALL, LC_CTYPE or LANG (the first one set) names a UTF-8 locale.
    static func localeIsUTF8(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        let locale = ["LC_ALL", "LC_CTYPE", "LANG"].lazy.compactMap { environment[$0] }.first { !$0.isEmpty } ?? ""
        let lowered = locale.lowercased()
        return lowered.contains("utf-8") || lowered.contains("utf8")
    }

    /// Points standard error at `file` (appending); returns a copy of the old one.
    private static func redirectStandardError(to file: URL) -> Int32 {
        let copy = dup(2)
        let log = open(file.path, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        if log >= 0 {
            dup2(log, 2)
            close(log)
        }
        return copy
    }

    private static func restoreStandardError(_ copy: Int32) {
        guard copy >= 0 else { return }
        dup2(copy, 2)
        close(copy)
    }

    /// Delivers `number` to `handler` on a private queue instead of its default action.
    private static func signalSource(_ number: Int32, _ handler: @escaping @Sendable () -> Void) -> any DispatchSourceSignal {
        signal(number, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: number, queue: signalQueue)
        source.setEventHandler(handler: handler)
        source.resume()
        return source
    }

    private static let signalQueue = DispatchQueue(label: "tacit.chat.signals")
}
