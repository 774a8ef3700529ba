import ArgumentParser
import Foundation
import TacitBench
import TacitClient

/// `tacit bench conversation`: an MLS group of many accounts, made and used through the SDK.
struct BenchConversationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conversation",
        abstract: "A real MLS group conversation of N accounts: create it, join from Welcomes, time messages.",
        discussion: """
            Every member registers and publishes a KeyPackage, then goes offline; the creator makes \
            the group through the SDK (KeyPackage claims, Commits, Welcomes), a few members come back, \
            join and catch up, and the creator sends messages timed until the last online member has \
            decrypted each. Client state goes to a temporary directory, removed at the end.
            """)

    @Option(help: "The server, e.g. ws://127.0.0.1:8080 (loopback only).") var server: String
    @Option(help: "Accounts in the group, the creator included.") var members: Int = 1_000
    @Option(help: "Members that come online, join and read.") var online: Int = 3
    @Option(help: "Measured messages.") var messages: Int = 20
    @Option(help: "Pin the bench to this CPU.") var cpu: Int?
    @Flag(help: "Print the report as JSON instead of a table.") var json = false

    func run() async throws {
        if let cpu {
            do { try CPUAffinity.pin(to: cpu) } catch { throw CLIError(error.description) }
        }
        let url: ServerURL
        do { url = try ServerURL(server) } catch { throw CLIError("\(error)") }
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("tacit-bench-conversation-\(UUID().uuidString)", isDirectory: true)
        let options = ConversationOptions(server: url, members: members, online: online, messages: messages,
                                          directory: directory)
        let report = try await ConversationWorkload.run(options) { line in
            FileHandle.standardError.write(Data("bench: \(line)\n".utf8))
        }
        FileHandle.standardOutput.write(Data((json ? ReportJSON.encode(report) : report.table.text).utf8))
        guard report.lost == 0 else { throw ExitCode(2) }
    }
}
