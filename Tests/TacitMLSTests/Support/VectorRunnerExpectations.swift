import Foundation
import Testing
import TacitConformance

/// Runs a vector file through its conformance runner: the file must have `count` entries and
/// every one must pass (failure reasons are in the message).
@discardableResult
func expectVectorsPass<Runner: MLSVectorRunner>(
    _: Runner.Type, _ file: String, entries count: Int, options: MLSVectorOptions = MLSVectorOptions(),
    sourceLocation: SourceLocation = #_sourceLocation
) throws -> MLSVectorRunReport {
    let report = Runner.run(try TestVectors.data(file), options: options)
    #expect(report.fileFailure == nil, "\(file): \(report.fileFailure ?? "")", sourceLocation: sourceLocation)
    let failures = report.entries.compactMap { entry in entry.failureReason.map { "entry \(entry.index): \($0)" } }
    #expect(failures.isEmpty, "\(file):\n\(failures.joined(separator: "\n"))", sourceLocation: sourceLocation)
    #expect(report.entries.count == count, "\(file): entries run", sourceLocation: sourceLocation)
    #expect(report.entries.allSatisfy { $0.outcome == .passed }, "\(file): every entry passed", sourceLocation: sourceLocation)
    return report
}
