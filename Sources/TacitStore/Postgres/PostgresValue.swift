import Foundation
import NIOCore

/// Conversions between the store's Swift values and the column types of the PostgreSQL schema.
///
/// - Ids are `bigint`. The store's ids are unsigned but always assigned by the database, so
///   an id beyond `Int64.max` cannot name a stored row: lookups treat it as absent.
/// - Device list versions use the whole `UInt64` range and are only compared for equality,
///   so their bit pattern is stored.
/// - Dates are `double precision` seconds since the reference date (what `Date` holds),
///   so they read back bit for bit, as in the SQLite store.
/// - Byte strings are `bytea`, bound as `ByteBuffer` (a `[UInt8]` would bind as `char[]`).
enum PostgresValue {
    static func storedID(_ id: UInt64) -> Int64? {
        Int64(exactly: id)
    }

    /// A device id bound into an id array: the bit pattern, so an id beyond `Int64.max`
    /// becomes a negative number, which no row has, and maps back to itself in errors.
    static func idPattern(_ id: UInt64) -> Int64 {
        Int64(bitPattern: id)
    }

    static func id(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: value)
    }

    static func version(_ version: UInt64) -> Int64 {
        Int64(bitPattern: version)
    }

    static func version(stored value: Int64) -> UInt64 {
        UInt64(bitPattern: value)
    }

    static func date(_ date: Date) -> Double {
        date.timeIntervalSinceReferenceDate
    }

    static func date(stored value: Double) -> Date {
        Date(timeIntervalSinceReferenceDate: value)
    }

    static func bytes(_ bytes: [UInt8]) -> ByteBuffer {
        ByteBuffer(bytes: bytes)
    }

    static func bytes(stored buffer: ByteBuffer?) -> [UInt8] {
        guard let buffer else { return [] }
        return Array(buffer.readableBytesView)
    }
}
