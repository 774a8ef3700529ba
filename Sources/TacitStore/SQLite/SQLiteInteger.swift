/// Conversions between the store's unsigned ids and SQLite's signed 64-bit integers.
///
/// Ids the store assigns are always positive, so an id that does not fit an `Int64`
/// cannot name anything stored: lookups treat it as absent instead of trapping.
enum SQLiteInteger {
    /// The SQLite value for an id, or `nil` if no stored row can have it.
    static func storedID(_ id: UInt64) -> Int64? {
        Int64(exactly: id)
    }

    /// An id read back from SQLite (always positive, assigned by the database).
    static func id(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: value)
    }

    /// Device list versions are chosen by clients and may use the full `UInt64` range;
    /// they are only ever compared for equality, so the bit pattern is stored.
    static func version(_ version: UInt64) -> Int64 {
        Int64(bitPattern: version)
    }

    static func version(stored value: Int64) -> UInt64 {
        UInt64(bitPattern: value)
    }
}
