import Foundation
import TacitMLS

/// Runs every entry of one vector format.
///
/// A runner only says how one entry is checked; ``run(_:options:)`` decodes the file, isolates
/// entries from each other (a malformed or failing entry fails alone) and handles cipher suites.
public protocol MLSVectorRunner {
    /// One element of the file's top-level array.
    associatedtype Entry: Decodable
    /// The format this runner checks.
    static var kind: MLSVectorKind { get }
    /// Whether entries carry a `cipher_suite` that must be supported to run them.
    static var usesCipherSuite: Bool { get }
    /// Checks one entry, throwing the first mismatch (``MLSVectorMismatch``) or implementation error.
    static func check(_ entry: Entry, in context: MLSVectorContext) throws
}

extension MLSVectorRunner {
    public static var usesCipherSuite: Bool { true }

    /// Runs every entry of a file of this format.
    ///
    /// - Returns: one result per entry, or a file failure if `data` is not a JSON array.
    public static func run(_ data: Data, options: MLSVectorOptions = MLSVectorOptions()) -> MLSVectorRunReport {
        let slots: [EntrySlot<Entry>]
        do {
            slots = try JSONDecoder().decode([EntrySlot<Entry>].self, from: data)
        } catch {
            return MLSVectorRunReport(entries: [], fileFailure: "not a JSON array of \(kind) entries: \(error)")
        }
        let entries = slots.enumerated().map { index, slot in
            MLSVectorEntryResult(index: index, outcome: outcome(of: slot, options: options))
        }
        return MLSVectorRunReport(entries: entries, fileFailure: nil)
    }

    private static func outcome(of slot: EntrySlot<Entry>, options: MLSVectorOptions) -> MLSVectorEntryResult.Outcome {
        var suite: (any CipherSuite)?
        if usesCipherSuite {
            guard let id = slot.cipherSuite else { return .failed(reason: "entry has no valid cipher_suite") }
            guard let supported = try? CipherSuiteID(rawValue: id).suite() else {
                let reason = "unsupported cipher suite \(id)"
                return options.skipUnsupportedSuites ? .skipped(reason: reason) : .failed(reason: reason)
            }
            suite = supported
        }
        do {
            let entry = try slot.entry.get()
            try check(entry, in: MLSVectorContext(suite: suite, options: options))
            return .passed
        } catch let error as DecodingError {
            return .failed(reason: "malformed entry: \(MLSVectorMismatch.describe(error))")
        } catch {
            return .failed(reason: String(describing: error))
        }
    }
}

/// Entries of one file run by a ``MLSVectorRunner``.
public struct MLSVectorRunReport: Hashable, Sendable {
    public let entries: [MLSVectorEntryResult]
    /// Why the file could not be run at all.
    public let fileFailure: String?
}

/// What a runner's check may use besides the entry.
public struct MLSVectorContext: Sendable {
    /// The entry's cipher suite, when the format has one and it is supported.
    public let suite: (any CipherSuite)?
    public let options: MLSVectorOptions

    /// The entry's suite, for formats that have one.
    public func requireSuite() throws(MLSVectorMismatch) -> any CipherSuite {
        guard let suite else { throw MLSVectorMismatch("entry has no supported cipher suite") }
        return suite
    }
}

/// One array element: its suite (read leniently, before the entry) and the entry or why it did not decode.
struct EntrySlot<Entry: Decodable>: Decodable {
    private enum Keys: String, CodingKey { case cipher_suite }
    let cipherSuite: UInt16?
    let entry: Result<Entry, any Error>

    init(from decoder: any Decoder) {
        cipherSuite = try? decoder.container(keyedBy: Keys.self).decodeIfPresent(UInt16.self, forKey: .cipher_suite)
        entry = Result { try Entry(from: decoder) }
    }
}

extension MLSVectorContext {
    /// Seconds since 1970, for lifetime checks when ``MLSVectorOptions/checkLifetimes`` is on.
    static var now: UInt64 { UInt64(max(0, Date().timeIntervalSince1970)) }
}

extension MLSVectorContext {
    /// With ``MLSVectorOptions/checkLifetimes``, throws unless `package`'s leaf is valid now.
    func checkLifetime(of package: KeyPackage, _ name: String) throws(MLSVectorMismatch) {
        guard options.checkLifetimes, let lifetime = package.leafNode.lifetime else { return }
        let now = Self.now
        try expect(lifetime.contains(now),
                   "\(name): lifetime \(lifetime.notBefore)...\(lifetime.notAfter) does not contain the current time \(now)")
    }
}
