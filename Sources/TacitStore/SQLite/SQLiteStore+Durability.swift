import GRDB

extension SQLiteStore {
    /// The durability the writer connection actually runs with, read back from SQLite
    /// (`nil` for a `synchronous` level this store never sets).
    public func writerDurability() async throws -> Durability? {
        try await run(.diagnostics) {
            // `synchronous` is per connection, and only the writer commits.
            try await self.pool.writeWithoutTransaction { db -> Durability? in
                switch try Int.fetchOne(db, sql: "PRAGMA synchronous") {
                case 2: .full
                case 1: .normal
                default: nil
                }
            }
        }
    }
}
