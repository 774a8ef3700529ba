import Foundation

/// Runs MLS interop test-vector files of any supported format.
public enum MLSConformance {
    /// The runner of a format.
    public static func runner(for kind: MLSVectorKind) -> any MLSVectorRunner.Type {
        switch kind {
        case .treeMath: TreeMathVectorRunner.self
        case .cryptoBasics: CryptoBasicsVectorRunner.self
        case .deserialization: DeserializationVectorRunner.self
        case .secretTree: SecretTreeVectorRunner.self
        case .messageProtection: MessageProtectionVectorRunner.self
        case .keySchedule: KeyScheduleVectorRunner.self
        case .pskSecret: PSKSecretVectorRunner.self
        case .transcriptHashes: TranscriptHashVectorRunner.self
        case .treeOperations: TreeOperationsVectorRunner.self
        case .treeValidation: TreeValidationVectorRunner.self
        case .treeKEM: TreeKEMVectorRunner.self
        case .messages: MessagesVectorRunner.self
        case .welcome: WelcomeVectorRunner.self
        case .passiveClient: PassiveClientVectorRunner.self
        }
    }

    /// The format of a file: by its name first, then by the keys of its first entry.
    public static func detectKind(fileName: String, data: Data) -> MLSVectorKind? {
        MLSVectorKind(fileName: fileName) ?? MLSVectorKind(json: data)
    }

    /// Runs the contents of one file, reported under `name`.
    ///
    /// - Parameter kind: The format; detected from `name` and `data` when `nil`.
    public static func run(_ data: Data, name: String, kind: MLSVectorKind? = nil,
                           options: MLSVectorOptions = MLSVectorOptions()) -> MLSVectorFileResult {
        guard let kind = kind ?? detectKind(fileName: name, data: data) else {
            return MLSVectorFileResult(name: name, kind: nil, entries: [], fileFailure: "unknown format")
        }
        let report = runner(for: kind).run(data, options: options)
        return MLSVectorFileResult(name: name, kind: kind, entries: report.entries, fileFailure: report.fileFailure)
    }

    /// Runs one file from disk, reported under its file name.
    public static func run(fileAt url: URL, options: MLSVectorOptions = MLSVectorOptions()) -> MLSVectorFileResult {
        let name = url.lastPathComponent
        do {
            return run(try Data(contentsOf: url), name: name, options: options)
        } catch {
            return MLSVectorFileResult(name: name, kind: nil, entries: [], fileFailure: "cannot read: \(error.localizedDescription)")
        }
    }

    /// The vector files `paths` name: files as given, directories as their `.json` files at any
    /// depth, sorted by path.
    public static func vectorFiles(at paths: [URL]) throws -> [URL] {
        let manager = FileManager.default
        var files: [URL] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path.path, isDirectory: &isDirectory) else {
                throw MLSConformanceError.noSuchPath(path.path)
            }
            guard isDirectory.boolValue else {
                files.append(path)
                continue
            }
            let found = manager.enumerator(at: path, includingPropertiesForKeys: [.isRegularFileKey])?
                .compactMap { $0 as? URL }
                .filter { $0.pathExtension == "json" && (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
                ?? []
            files += found.sorted { $0.path < $1.path }
        }
        return files
    }
}

/// Why the files to run could not be listed.
public enum MLSConformanceError: Error, Hashable, Sendable, CustomStringConvertible {
    case noSuchPath(String)

    public var description: String {
        switch self {
        case .noSuchPath(let path): "no such file or directory: \(path)"
        }
    }
}
