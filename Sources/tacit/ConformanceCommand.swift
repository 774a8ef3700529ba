import ArgumentParser
import Foundation
import TacitConformance

/// `tacit conformance`: runs published interoperability test vectors.
struct ConformanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conformance",
        abstract: "Run interoperability test vectors.",
        subcommands: [MLSConformanceCommand.self])
}

/// `tacit conformance mls [PATH…]`: runs MLS working-group test-vector files and prints one line per file.
struct MLSConformanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mls",
        abstract: "Run the MLS working group's test vectors (mls-implementations test-vectors/*.json).",
        discussion: """
            Each file's format is found from its name (tree-math.json, passive-client-*.json, ...) or, \
            failing that, from the keys of its entries. Every entry is run; one line per file says \
            NAME: X passed, Y failed, and a last line gives the totals. Failure reasons go to standard \
            error. Exits non-zero if anything failed.
            """)

    /// Where the vectors are when no path is given: beside a checkout, as in this repository's layout.
    static let defaultDirectory = "../shared/mls-test-vectors"

    @Argument(help: "Vector files or directories of them (default: \(defaultDirectory) when present).")
    var paths: [String] = []

    @Flag(help: "Check leaf lifetimes against the current time (the published vectors have expired).")
    var lifetimes = false

    @Flag(help: "List entries of cipher suites this build lacks as skipped instead of failed.")
    var skipUnsupportedSuites = false

    func run() throws {
        var given = paths
        if given.isEmpty {
            guard FileManager.default.fileExists(atPath: Self.defaultDirectory) else {
                throw ValidationError("no PATH given and \(Self.defaultDirectory) does not exist")
            }
            given = [Self.defaultDirectory]
        }
        let files: [URL]
        do {
            files = try MLSConformance.vectorFiles(at: given.map { URL(fileURLWithPath: $0) })
        } catch {
            throw ValidationError("\(error)")
        }
        guard !files.isEmpty else { throw ValidationError("no .json files in \(given.joined(separator: ", "))") }

        let options = MLSVectorOptions(checkLifetimes: lifetimes, skipUnsupportedSuites: skipUnsupportedSuites)
        var passed = 0, failed = 0, skipped = 0
        for file in files {
            let result = MLSConformance.run(fileAt: file, options: options)
            if let reason = result.fileFailure { Self.printError("\(result.name): \(reason)") }
            for entry in result.entries {
                switch entry.outcome {
                case .passed: break
                case .failed(let reason): Self.printError("\(result.name) entry \(entry.index): \(reason)")
                case .skipped(let reason): Self.printError("\(result.name) entry \(entry.index): skipped: \(reason)")
                }
            }
            print(result.summary)
            passed += result.passedCount
            failed += result.failedCount
            skipped += result.skippedCount
        }
        print("\(passed) passed, \(failed) failed" + (skipped > 0 ? ", \(skipped) skipped" : ""))
        if failed > 0 { throw ExitCode.failure }
    }

    private static func printError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
