import NIOCore
import NIOPosix

/// One event-loop thread of the bench's own for the duration of `body`, shut down after it
/// whether it returns or throws: the in-process workloads run all their sockets on one loop.
enum SingleLoop {
    static func run<T: Sendable>(_ body: (MultiThreadedEventLoopGroup) async throws -> T) async throws -> T {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        do {
            let result = try await body(group)
            try await group.shutdownGracefully()
            return result
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }
}
