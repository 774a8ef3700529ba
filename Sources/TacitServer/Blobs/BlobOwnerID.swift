import Foundation

/// The account that uploaded a blob; only it may append to, finish or delete the blob, and
/// its quota pays for the bytes.
public struct BlobOwnerID: Hashable, Sendable, CustomStringConvertible {
    /// The account id as the server's authentication layer names it.
    public let rawValue: String

    public init(_ rawValue: String) { self.rawValue = rawValue }

    public var description: String { rawValue }
}
