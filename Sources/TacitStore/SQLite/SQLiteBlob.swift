import Foundation
import GRDB

/// Binding byte strings as SQLite blobs.
///
/// SQLite binds an empty buffer with no base address as NULL, not as a zero-length blob.
/// Every statement that stores or compares a blob therefore wraps its parameter in
/// `COALESCE(?, X'')` (spelled ``SQLiteBlob/parameter``), so empty and absent stay distinct.
enum SQLiteBlob {
    /// The SQL for one blob parameter.
    static let parameter = "COALESCE(?, X'')"

    static func value(_ bytes: [UInt8]) -> Data {
        Data(bytes)
    }

    static func bytes(_ data: Data?) -> [UInt8] {
        data.map { [UInt8]($0) } ?? []
    }
}
