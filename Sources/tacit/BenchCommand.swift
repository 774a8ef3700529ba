import ArgumentParser
import Foundation
import TacitBench

/// `tacit bench`: a load generator for a Tacit server on this machine. It is a client like
/// any other (real sockets, real accounts and device signatures), run as its own process.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure a running Tacit server over loopback.",
        discussion: """
            Start the server on one core and the bench on the other, for example:
              taskset -c 0 tacit server --data-dir /tmp/tacit-bench --port 8080 --rate-limit 1000000
              tacit bench messages --server ws://127.0.0.1:8080 --cpu 1 --pairs 100 --window 1
            --rate-limit lifts the per-connection rate limit, which would otherwise refuse a benchmark \
            device's thousands of requests a second. Give --server several times (or comma-separated) \
            to spread the devices over several nodes sharing one PostgreSQL database. Every run is \
            bounded in connections and time and creates fresh accounts with a random prefix.
            """,
        subcommands: [BenchConnectionsCommand.self, BenchMessagesCommand.self, BenchGroupCommand.self, BenchConversationCommand.self,
                      BenchWorkerCommand.self])
}

/// Options every bench mode takes.
struct BenchCommonOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The server to measure, e.g. ws://127.0.0.1:8080 (loopback only); repeat it (or "
                                   + "separate with commas) for several nodes, which get the devices in turn.",
                               valueName: "url"))
    var server: [String] = []
    @Option(help: "Pin the generator to this CPU (sched_setaffinity).") var cpu: Int?
    @Flag(help: "Print the report as JSON instead of a table.") var json = false

    /// Pins the process if asked and returns the server addresses; without --server, says what to run.
    func prepare() throws -> [BenchServerAddress] {
        guard !server.isEmpty else {
            throw CLIError("""
                no server given. Start one on its own core, then point the bench at it:
                  taskset -c 0 tacit server --data-dir /tmp/tacit-bench --port 8080 --rate-limit 1000000
                  tacit bench ... --server ws://127.0.0.1:8080 --cpu 1
                """)
        }
        if let cpu {
            do {
                try CPUAffinity.pin(to: cpu)
            } catch {
                throw CLIError(error.description)
            }
        }
        do {
            return try BenchServerAddress.list(parsing: server)
        } catch {
            throw CLIError(error.description)
        }
    }

    func progress(_ line: String) {
        FileHandle.standardError.write(Data("bench: \(line)\n".utf8))
    }

    func print(table: ReportTable, json: String) {
        FileHandle.standardOutput.write(Data((self.json ? json : table.text).utf8))
    }
}

struct BenchConnectionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "connections",
        abstract: "Open N authenticated idle connections, hold them, report the server's memory per connection.",
        discussion: """
            Large counts are spread over worker processes (this executable re-run as `bench worker`), \
            each connecting from its own address 127.0.0.2, 127.0.0.3, ...; every process may open at \
            most 20,000 files. The server's memory is its VmRSS (/proc/PID/status) after registration \
            and after the hold; its pid is found from the listening port unless --server-pid is given.
            """)

    @OptionGroup var common: BenchCommonOptions
    @Option(help: "Connections to open.") var count: Int
    @Option(help: "Seconds to hold them once all are up (longer than the server's keep-alive interval).")
    var hold: Double = 40
    @Option(help: "Connections per worker process.") var perWorker: Int = 5_000
    @Option(help: "Handshakes in flight per worker.") var concurrency: Int = 64
    @Option(help: "The server's pid, for memory readings (repeat it for several servers).") var serverPid: [Int32] = []
    @Flag(help: "Run the workers inside this process (small counts only).") var inProcess = false

    func run() async throws {
        let servers = try common.prepare()
        let options = ConnectionsOptions(servers: servers, count: count, perWorker: perWorker, hold: hold,
                                         concurrency: concurrency, serverPIDs: serverPid)
        let cpu = common.cpu
        let launcher = inProcess ? nil : WorkerLauncher(executable: WorkerLauncher.currentExecutable) { spec in
            var arguments = ["bench", "worker"] + spec.servers.flatMap { ["--server", $0] }
            arguments += ["--prefix", spec.usernamePrefix, "--first", "\(spec.first)", "--count", "\(spec.count)",
                          "--concurrency", "\(spec.concurrency)"]
            if let source = spec.source { arguments += ["--source", source] }
            if let cpu { arguments += ["--cpu", "\(cpu)"] }
            return arguments
        }
        let report = try await ConnectionsWorkload.run(options, launcher: launcher, progress: common.progress)
        common.print(table: report.table, json: ReportJSON.encode(report))
    }
}

struct BenchMessagesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "messages",
        abstract: "Pairs of devices exchanging envelopes: throughput, latency, lost/duplicated/reordered counts.",
        discussion: """
            Each pair sends in both directions. With --window W every sender keeps W messages on \
            their way; with --rate R the senders together offer R messages a second. Every body \
            carries a sequence number and its send time, so the receivers count what was lost, \
            duplicated or reordered (all must be 0).
            """)

    @OptionGroup var common: BenchCommonOptions
    @Option(help: "Pairs of devices.") var pairs: Int = 100
    @Option(help: "Messages in flight per sender (closed loop).") var window: Int?
    @Option(help: "Messages per second offered in total (open loop).") var rate: Double?
    @Option(help: "Body size in bytes.") var size: Int = 64
    @Option(help: "Measured seconds.") var duration: Double = 10
    @Option(help: "Seconds of warm-up before measuring.") var warmup: Double = 1
    @Option(help: ArgumentHelp("Seconds to wait after the run for messages still on their way; what has not "
                               + "arrived by then counts as lost (an overloaded server needs longer).")) var drain: Double = 5

    func validate() throws {
        guard drain >= 0, drain <= 600 else { throw ValidationError("--drain must be 0...600 seconds") }
        guard (window == nil) != (rate == nil) else { throw ValidationError("give exactly one of --window and --rate") }
    }

    func run() async throws {
        let servers = try common.prepare()
        let load: MessagesOptions.Load = if let window { .window(window) } else { .rate(rate ?? 0) }
        let options = MessagesOptions(servers: servers, pairs: pairs, load: load, bodySize: size, duration: duration,
                                      warmup: warmup, drainTimeout: drain)
        let report = try await MessagesWorkload.run(options, progress: common.progress)
        common.print(table: report.table, json: ReportJSON.encode(report))
        guard report.isClean else { throw ExitCode(2) }
    }
}

struct BenchGroupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "group",
        abstract: "Fan-out: one message to G online devices, repeated; time until the last one has it.")

    @OptionGroup var common: BenchCommonOptions
    @Option(help: "Online member devices.") var members: Int = 1_000
    @Option(help: "Measured messages, sent one after the other.") var rounds: Int = 50
    @Option(help: "Unmeasured messages first.") var warmupRounds: Int = 3
    @Option(help: "Body size in bytes.") var size: Int = 64

    func run() async throws {
        let servers = try common.prepare()
        let options = GroupOptions(servers: servers, members: members, rounds: rounds, bodySize: size,
                                   warmupRounds: warmupRounds)
        let report = try await GroupWorkload.run(options, progress: common.progress)
        common.print(table: report.table, json: ReportJSON.encode(report))
        guard report.lost == 0, report.duplicated == 0, report.errors.isEmpty else { throw ExitCode(2) }
    }
}

/// A worker process of `bench connections`; started by it, not by people.
struct BenchWorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "worker", abstract: "(internal) a connections worker.",
                                                    shouldDisplay: false)

    @Option var server: [String]
    @Option var prefix: String
    @Option var first: Int
    @Option var count: Int
    @Option var concurrency: Int = 64
    @Option var source: String?
    @Option var cpu: Int?

    func run() async throws {
        if let cpu { try? CPUAffinity.pin(to: cpu) }
        let worker = try ConnectionsWorker(spec: .init(servers: server, usernamePrefix: prefix, first: first, count: count,
                                                       source: source, concurrency: concurrency))
        let commands = BenchInput.lines()
        await worker.serve(commands: commands) { message in
            FileHandle.standardOutput.write(Data((message.line + "\n").utf8))
        }
    }
}

/// Standard input as lines, read on a thread of its own.
enum BenchInput {
    static func lines() -> AsyncStream<String> {
        let (stream, continuation) = AsyncStream.makeStream(of: String.self)
        Thread {
            while let line = readLine() { continuation.yield(line) }
            continuation.finish()
        }.start()
        return stream
    }
}
