import Foundation

extension MLSVectorKind {
    /// The kind a file name names, such as `tree-math.json` or `passive-client-random.json`.
    public init?(fileName: String) {
        var stem = Substring(fileName)
        if stem.hasSuffix(".json") { stem = stem.dropLast(5) }
        if stem.hasPrefix(MLSVectorKind.passiveClient.rawValue) {
            self = .passiveClient
        } else if stem == "psk-secret" {
            self = .pskSecret
        } else if let kind = MLSVectorKind(rawValue: String(stem)) {
            self = kind
        } else {
            return nil
        }
    }

    /// The kind whose distinctive keys the first entry of `json` carries, if exactly one matches
    /// once formats whose keys are a subset of another match's are set aside.
    public init?(json data: Data) {
        guard let entries = try? JSONSerialization.jsonObject(with: data) as? [Any],
              let first = entries.first as? [String: Any] else { return nil }
        let keys = Set(first.keys)
        let matches = MLSVectorKind.allCases.filter { $0.distinctiveKeys.isSubset(of: keys) }
        // Should one format's keys ever be a subset of another's, the more specific one wins.
        let mostSpecific = matches.filter { candidate in
            !matches.contains { $0 != candidate && candidate.distinctiveKeys.isStrictSubset(of: $0.distinctiveKeys) }
        }
        guard mostSpecific.count == 1, let kind = mostSpecific.first else { return nil }
        self = kind
    }
}
