/// What happened to one entry of a vector file.
public struct MLSVectorEntryResult: Hashable, Sendable, CustomStringConvertible {
    public enum Outcome: Hashable, Sendable {
        case passed
        case failed(reason: String)
        /// Not run and not counted (only for unsupported suites with `skipUnsupportedSuites`).
        case skipped(reason: String)
    }

    /// The entry's position in the file's top-level array, from 0.
    public let index: Int
    public let outcome: Outcome

    public init(index: Int, outcome: Outcome) {
        self.index = index
        self.outcome = outcome
    }

    /// The failure reason, or `nil` if the entry passed or was skipped.
    public var failureReason: String? {
        if case .failed(let reason) = outcome { return reason }
        return nil
    }

    public var description: String {
        switch outcome {
        case .passed: "entry \(index): passed"
        case .failed(let reason): "entry \(index): failed: \(reason)"
        case .skipped(let reason): "entry \(index): skipped: \(reason)"
        }
    }
}
