import Foundation
import Testing
import TacitConformance

/// The conformance runner itself: detection, counting, and that it can fail.
@Suite("MLS conformance runner")
struct ConformanceRunnerTests {
    /// Every vector file with its format and entry count.
    static let files: [(name: String, kind: MLSVectorKind, entries: Int)] = [
        ("crypto-basics.json", .cryptoBasics, 2), ("deserialization.json", .deserialization, 14),
        ("key-schedule.json", .keySchedule, 2), ("message-protection.json", .messageProtection, 2),
        ("messages.json", .messages, 300), ("passive-client-handling-commit.json", .passiveClient, 26),
        ("passive-client-welcome.json", .passiveClient, 16), ("psk_secret.json", .pskSecret, 22),
        ("secret-tree.json", .secretTree, 6), ("transcript-hashes.json", .transcriptHashes, 2),
        ("tree-math.json", .treeMath, 10), ("tree-operations.json", .treeOperations, 5),
        ("tree-validation.json", .treeValidation, 28), ("treekem.json", .treeKEM, 22), ("welcome.json", .welcome, 2),
    ]

    /// A fresh temporary directory, removed by the caller.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tacit-conformance-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The vector file as JSON objects, to change and write back.
    static func entries(_ file: String) throws -> [[String: Any]] {
        try #require(try JSONSerialization.jsonObject(with: TestVectors.data(file)) as? [[String: Any]])
    }

    static func json(_ entries: [[String: Any]]) throws -> Data {
        try JSONSerialization.data(withJSONObject: entries)
    }

    /// `hex` with its last digit changed.
    static func flipLastDigit(_ hex: String) -> String {
        guard let last = hex.last else { return "00" }
        return hex.dropLast() + (last == "0" ? "1" : "0")
    }

    @Test("every file of the vector directory is found, recognised by name and passes")
    func wholeDirectory() throws {
        let directory = try #require(TestVectors.directory)
        let urls = try MLSConformance.vectorFiles(at: [directory])
        #expect(urls.map(\.lastPathComponent) == Self.files.map(\.name), "only the .json files, sorted")
        for (url, expected) in zip(urls, Self.files) {
            let result = MLSConformance.run(fileAt: url)
            #expect(result.kind == expected.kind, "\(expected.name)")
            #expect(result.failureReasons.isEmpty, "\(expected.name):\n\(result.failureReasons.joined(separator: "\n"))")
            #expect(result.passedCount == expected.entries && result.skippedCount == 0, "\(expected.name)")
            #expect(result.summary == "\(expected.name): \(expected.entries) passed, 0 failed")
        }
    }

    @Test("every format is also recognised by the shape of its entries alone")
    func detectionByShape() throws {
        for file in Self.files {
            #expect(MLSVectorKind(json: try TestVectors.data(file.name)) == file.kind, "\(file.name)")
        }
        #expect(MLSVectorKind(fileName: "passive-client-random.json") == .passiveClient)
        #expect(MLSVectorKind(fileName: "psk-secret.json") == .pskSecret)
        #expect(MLSVectorKind(fileName: "notes.json") == nil)
        #expect(MLSVectorKind(json: Data("[]".utf8)) == nil)
        #expect(MLSVectorKind(json: Data(#"{"n_leaves": 1}"#.utf8)) == nil, "a top-level object is not a vector file")
    }

    /// A file, an entry, and where in the entry one expected value is changed.
    struct Mutation: Sendable, CustomTestStringConvertible {
        let file: String
        let entry: Int
        let path: [String]
        var testDescription: String { "\(file) entry \(entry) \(path.joined(separator: "."))" }
    }

    @Test("one wrong expected value fails exactly its entry", arguments: [
        Mutation(file: "psk_secret.json", entry: 5, path: ["psk_secret"]),
        Mutation(file: "key-schedule.json", entry: 1, path: ["epochs", "3", "exporter", "secret"]),
        Mutation(file: "secret-tree.json", entry: 2, path: ["leaves", "1", "0", "application_nonce"]),
        Mutation(file: "tree-validation.json", entry: 7, path: ["tree_hashes", "2"]),
        Mutation(file: "treekem.json", entry: 3, path: ["update_paths", "0", "commit_secret"]),
        Mutation(file: "transcript-hashes.json", entry: 0, path: ["interim_transcript_hash_after"]),
        Mutation(file: "welcome.json", entry: 1, path: ["signer_pub"]),
        Mutation(file: "passive-client-handling-commit.json", entry: 4, path: ["epochs", "1", "epoch_authenticator"]),
    ])
    func mutatedValueFailsItsEntry(_ mutation: Mutation) throws {
        var entries = try Self.entries(mutation.file)
        entries[mutation.entry] = try #require(try Self.changing(entries[mutation.entry], at: mutation.path[...]) as? [String: Any])
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // A name that says nothing: the format must be found from the entries.
        let url = directory.appendingPathComponent("mutated-copy.json")
        try Self.json(entries).write(to: url)

        let result = MLSConformance.run(fileAt: url)
        #expect(result.kind == MLSVectorKind(fileName: mutation.file))
        #expect(result.entries.count == entries.count)
        #expect(result.entries.compactMap { $0.failureReason == nil ? nil : $0.index } == [mutation.entry],
                "\(result.failureReasons)")
        #expect(result.passedCount == entries.count - 1)
        #expect(result.summary == "mutated-copy.json: \(entries.count - 1) passed, 1 failed")
    }

    /// `value` with the hex string at `path` changed in its last digit.
    static func changing(_ value: Any, at path: ArraySlice<String>) throws -> Any {
        guard let key = path.first else { return flipLastDigit(try #require(value as? String)) }
        let rest = path.dropFirst()
        if var object = value as? [String: Any] {
            object[key] = try changing(try #require(object[key]), at: rest)
            return object
        }
        var array = try #require(value as? [Any])
        let index = try #require(Int(key))
        array[index] = try changing(array[index], at: rest)
        return array
    }

    @Test("an unsupported suite fails its entry, or is skipped and not counted with skipUnsupportedSuites")
    func unsupportedSuite() throws {
        var entries = try Self.entries("crypto-basics.json")
        entries[0]["cipher_suite"] = 2
        let data = try Self.json(entries)

        let strict = MLSConformance.run(data, name: "crypto-basics.json")
        #expect(strict.entries.map(\.outcome) == [.failed(reason: "unsupported cipher suite 2"), .passed])
        #expect(strict.summary == "crypto-basics.json: 1 passed, 1 failed")

        let lenient = MLSConformance.run(data, name: "crypto-basics.json", options: MLSVectorOptions(skipUnsupportedSuites: true))
        #expect(lenient.entries.map(\.outcome) == [.skipped(reason: "unsupported cipher suite 2"), .passed])
        #expect((lenient.passedCount, lenient.failedCount, lenient.skippedCount) == (1, 0, 1))
        #expect(lenient.summary == "crypto-basics.json: 1 passed, 0 failed, 1 skipped")
    }

    @Test("unknown formats, non-JSON and malformed entries are failures, never crashes")
    func badInput() throws {
        let unknown = MLSConformance.run(Data(#"[{"colour": "blue"}]"#.utf8), name: "colours.json")
        #expect(unknown.kind == nil && unknown.fileFailure == "unknown format")
        #expect(unknown.summary == "colours.json: 0 passed, 1 failed")

        let notJSON = MLSConformance.run(Data("not json".utf8), name: "tree-math.json")
        #expect(notJSON.kind == .treeMath && notJSON.fileFailure != nil && notJSON.failedCount == 1)

        // One entry with a bad hex string, one with a missing key, one that is not an object.
        var entries = try Self.entries("psk_secret.json")
        entries[1]["psk_secret"] = "zz"
        entries[2].removeValue(forKey: "psks")
        var array: [Any] = entries
        array.append(17)
        let result = MLSConformance.run(try JSONSerialization.data(withJSONObject: array), name: "psk_secret.json")
        #expect(result.entries.compactMap { $0.failureReason == nil ? nil : $0.index } == [1, 2, 22])
        #expect(result.entries[1].failureReason?.contains("psk_secret") == true, "\(result.failureReasons)")
        #expect(result.entries[2].failureReason?.contains("psks") == true, "\(result.failureReasons)")
        #expect(result.passedCount == 20)

        let empty = MLSConformance.run(Data("[]".utf8), name: "treekem.json")
        #expect(empty.summary == "treekem.json: 0 passed, 0 failed")
    }

    @Test("lifetimes are skipped by default; checking them fails exactly the expired KeyPackages")
    func lifetimes() throws {
        let checking = MLSVectorOptions(checkLifetimes: true)
        // passive-client-welcome.json's KeyPackages expired in 2024.
        let data = try TestVectors.data("passive-client-welcome.json")
        #expect(PassiveClientVectorRunner.run(data).entries.allSatisfy { $0.outcome == .passed })
        let expired = PassiveClientVectorRunner.run(data, options: checking)
        #expect(expired.entries.count == 16)
        #expect(expired.entries.allSatisfy { $0.failureReason?.contains("lifetime") == true }, "\(expired.entries)")
        // welcome.json's KeyPackages are valid from 0 to 2^64-1.
        let unbounded = WelcomeVectorRunner.run(try TestVectors.data("welcome.json"), options: checking)
        #expect(unbounded.entries.map(\.outcome) == [.passed, .passed])
    }

    @Test("paths: files as given, directories as their .json files; a missing path is an error")
    func paths() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let nested = directory.appendingPathComponent("more")
        try FileManager.default.createDirectory(at: nested, withIntermediateDirectories: true)
        try Data("[]".utf8).write(to: directory.appendingPathComponent("b.json"))
        try Data("[]".utf8).write(to: nested.appendingPathComponent("a.json"))
        try Data("x".utf8).write(to: directory.appendingPathComponent("README.md"))
        let readme = directory.appendingPathComponent("README.md")
        let found = try MLSConformance.vectorFiles(at: [directory, readme])
        #expect(found.map(\.lastPathComponent) == ["b.json", "a.json", "README.md"])
        #expect(throws: MLSConformanceError.noSuchPath(directory.appendingPathComponent("none").path)) {
            try MLSConformance.vectorFiles(at: [directory.appendingPathComponent("none")])
        }
    }
}
