import Foundation

/// The line protocol between `tacit bench connections` and its worker processes: commands
/// on the worker's standard input, one JSON ``WorkerMessage`` per line on its standard output.
public enum WorkerCommand: String, Sendable {
    case connect, count, stop
}

/// A worker's answer to a command (or to starting: `registered`).
public struct WorkerMessage: Sendable, Codable, Equatable {
    public enum Event: String, Sendable, Codable { case registered, connected, open, stopped, failed }

    public var event: Event
    public var count: Int?
    public var connected: ConnectionsWorker.Connected?
    public var error: String?

    public init(event: Event, count: Int? = nil, connected: ConnectionsWorker.Connected? = nil, error: String? = nil) {
        self.event = event
        self.count = count
        self.connected = connected
        self.error = error
    }

    public var line: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return ((try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? #"{"event":"failed"}"#)
    }

    public init(line: String) throws {
        self = try JSONDecoder().decode(WorkerMessage.self, from: Data(line.utf8))
    }
}

extension ConnectionsWorker {
    /// The worker process's main loop: registers, then answers commands read from `commands`
    /// until `stop` or the end of input (the coordinator went away), writing answers with `answer`.
    public func serve(commands: AsyncStream<String>, answer: @Sendable (WorkerMessage) -> Void) async {
        do {
            answer(WorkerMessage(event: .registered, count: try await register()))
        } catch {
            answer(WorkerMessage(event: .failed, error: String(describing: error)))
            await stop()
            return
        }
        for await line in commands {
            switch WorkerCommand(rawValue: line.trimmingCharacters(in: .whitespaces)) {
            case .connect:
                do {
                    let connected = try await connect()
                    answer(WorkerMessage(event: .connected, count: connected.connected, connected: connected))
                } catch {
                    answer(WorkerMessage(event: .failed, error: String(describing: error)))
                }
            case .count:
                answer(WorkerMessage(event: .open, count: await openCount()))
            case .stop:
                await stop()
                answer(WorkerMessage(event: .stopped))
                return
            case nil:
                answer(WorkerMessage(event: .failed, error: "unknown command '\(line)'"))
            }
        }
        await stop()
    }
}

/// Lines of a file descriptor, read on a thread of their own (reads block).
enum LineReader {
    static func lines(of handle: FileHandle) -> AsyncStream<String> {
        let (stream, continuation) = AsyncStream.makeStream(of: String.self)
        let thread = Thread {
            var pending = Data()
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                pending.append(chunk)
                while let newline = pending.firstIndex(of: 0x0A) {
                    let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                    pending.removeSubrange(pending.startIndex...newline)
                    continuation.yield(line)
                }
            }
            continuation.finish()
        }
        thread.start()
        return stream
    }
}
