import Foundation
import GRDB
@testable import TacitStore
import Testing

@Suite("SQLite store: reads grouped into shared transactions")
struct GroupedReaderTests {
    /// A pool on a fresh file with a table of the numbers 0..<count.
    func makePool(numbers count: Int) throws -> (DatabasePool, URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("grouped-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let pool = try DatabasePool(path: directory.appendingPathComponent("db.sqlite").path)
        try pool.write { db in
            try db.execute(sql: "CREATE TABLE numbers (value INTEGER PRIMARY KEY)")
            for value in 0..<count { try db.execute(sql: "INSERT INTO numbers VALUES (?)", arguments: [value]) }
        }
        return (pool, directory)
    }

    @Test("reads that wait while a batch runs share the next transaction, each getting its own rows")
    func waitingReadsShareOneBatch() async throws {
        let (pool, directory) = try makePool(numbers: 100)
        defer { try? FileManager.default.removeItem(at: directory) }
        let reader = GroupedReader(pool: pool, maxConcurrentBatches: 1)
        let gate = DispatchSemaphore(value: 0)
        let running = DispatchSemaphore(value: 0)
        // The first read holds the only batch until the other 99 are queued behind it.
        let first = Task { try await reader.read { db in
            running.signal()
            gate.wait()
            return try Int.fetchOne(db, sql: "SELECT value FROM numbers WHERE value = 0")
        } }
        // Its batch is running (alone) before the others are asked for.
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                running.wait()
                continuation.resume()
            }
        }
        let others = Task {
            try await withThrowingTaskGroup(of: (Int, Int?).self) { group in
                for value in 1..<100 {
                    group.addTask {
                        (value, try await reader.read { db in
                            try Int.fetchOne(db, sql: "SELECT value FROM numbers WHERE value = ?", arguments: [value])
                        })
                    }
                }
                return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
            }
        }
        let deadline = ContinuousClock.now + .seconds(30)
        while reader.waitingCount < 99, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        #expect(reader.waitingCount == 99)
        gate.signal()
        #expect(try await first.value == 0)
        let results = try await others.value
        #expect(results.count == 99)
        #expect(results.allSatisfy { $0.key == $0.value })
        let statistics = reader.statistics
        #expect(statistics.batches == 2)
        #expect(statistics.reads == 100)
    }

    @Test("a read that fails fails alone: the others of its batch still get their rows")
    func failureStaysWithItsRead() async throws {
        let (pool, directory) = try makePool(numbers: 10)
        defer { try? FileManager.default.removeItem(at: directory) }
        let reader = GroupedReader(pool: pool, maxConcurrentBatches: 1)
        let outcomes = await withTaskGroup(of: (Int, Bool).self) { group in
            for value in 0..<10 {
                group.addTask {
                    do {
                        let sql = value == 5 ? "SELECT value FROM no_such_table" : "SELECT value FROM numbers WHERE value = ?"
                        let found = try await reader.read { db in
                            try Int.fetchOne(db, sql: sql, arguments: value == 5 ? [] : [value])
                        }
                        return (value, found == value)
                    } catch {
                        return (value, false)
                    }
                }
            }
            return await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
        #expect(outcomes.filter { $0.value }.map(\.key).sorted() == [0, 1, 2, 3, 4, 6, 7, 8, 9])
    }

    @Test("reads after the pool closed fail with an error instead of hanging")
    func closedPoolFailsReads() async throws {
        let (pool, directory) = try makePool(numbers: 1)
        defer { try? FileManager.default.removeItem(at: directory) }
        let reader = GroupedReader(pool: pool, maxConcurrentBatches: 2)
        try pool.close()
        await #expect(throws: (any Error).self) {
            _ = try await reader.read { db in try Int.fetchOne(db, sql: "SELECT 1") }
        }
    }
}
