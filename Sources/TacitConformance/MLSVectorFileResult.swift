/// The outcome of running one vector file: one result per entry, or a reason the file could not be run.
public struct MLSVectorFileResult: Hashable, Sendable {
    /// The name the file is reported under (its file name).
    public let name: String
    /// The detected format, or `nil` if none was recognised.
    public let kind: MLSVectorKind?
    /// One result per entry, in file order.
    public let entries: [MLSVectorEntryResult]
    /// Why the file as a whole could not be run (unknown format, not JSON, …); counts as one failure.
    public let fileFailure: String?

    public init(name: String, kind: MLSVectorKind?, entries: [MLSVectorEntryResult], fileFailure: String? = nil) {
        self.name = name
        self.kind = kind
        self.entries = entries
        self.fileFailure = fileFailure
    }

    public var passedCount: Int { entries.count { $0.outcome == .passed } }
    /// Failed entries, plus one if the file itself could not be run.
    public var failedCount: Int { entries.count { $0.failureReason != nil } + (fileFailure == nil ? 0 : 1) }
    public var skippedCount: Int { entries.count { if case .skipped = $0.outcome { true } else { false } } }

    /// Every failure with its reason, including the file-level one.
    public var failureReasons: [String] {
        (fileFailure.map { [$0] } ?? []) + entries.compactMap { entry in
            entry.failureReason.map { "entry \(entry.index): \($0)" }
        }
    }

    /// The summary line: `NAME: X passed, Y failed` (and `, Z skipped` when some were).
    public var summary: String {
        var line = "\(name): \(passedCount) passed, \(failedCount) failed"
        if skippedCount > 0 { line += ", \(skippedCount) skipped" }
        return line
    }
}
