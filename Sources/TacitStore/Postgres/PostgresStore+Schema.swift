import PostgresNIO

extension PostgresStore {
    /// The schema versions applied to the database, in order (for diagnostics).
    public func schemaVersions() async throws -> [Int] {
        try await read(.diagnostics) { db in
            try await db.rows("SELECT version FROM tacit_schema_migrations ORDER BY version", logger: logger)
                .map { Int(try $0.decode(Int32.self)) }
        }
    }
}

extension PostgresStore {
    /// The `synchronous_commit` setting the store's pooled connections run with. Anything
    /// but `off` makes a returned `COMMIT` durable on this server's disk (and, with
    /// synchronous standbys, on theirs); the store turns `off` on (see
    /// ``PostgresConnectionSettings``).
    public func synchronousCommit() async throws -> String {
        try await read(.diagnostics) { db in
            guard let setting = try await db.rows("SELECT current_setting('synchronous_commit')", logger: logger)
                .first?.decode(String.self) else { throw StoreError.unavailable("no synchronous_commit setting") }
            return setting
        }
    }
}
