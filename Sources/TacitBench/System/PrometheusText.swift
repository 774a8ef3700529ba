/// Reads single values out of the Prometheus text format that the server's `/metrics` serves.
public enum PrometheusText {
    /// The value of the first sample named `name` (any labels), if present.
    public static func value(of name: String, in text: String) -> Double? {
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 2 else { continue }
            let metric = fields[0].split(separator: "{", maxSplits: 1).first.map(String.init) ?? ""
            if metric == name { return Double(fields[1]) }
        }
        return nil
    }
}
