import Foundation

/// A two-column table for people: a title, then `label  value` rows aligned.
public struct ReportTable: Sendable, Equatable {
    public var title: String
    public var rows: [(String, String)]

    public init(title: String, rows: [(String, String)]) {
        self.title = title
        self.rows = rows
    }

    public var text: String {
        let width = rows.map(\.0.count).max() ?? 0
        var lines = [title, String(repeating: "-", count: max(title.count, width + 2 + (rows.map(\.1.count).max() ?? 0)))]
        for (label, value) in rows {
            lines.append(label.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + value)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public static func == (lhs: ReportTable, rhs: ReportTable) -> Bool {
        lhs.title == rhs.title && lhs.rows.map(\.0) == rhs.rows.map(\.0) && lhs.rows.map(\.1) == rhs.rows.map(\.1)
    }
}

/// Number formatting shared by the tables.
enum Figures {
    static func count(_ value: some BinaryInteger) -> String {
        let digits = String(value)
        var grouped = ""
        for (offset, character) in digits.reversed().enumerated() {
            if offset > 0, offset % 3 == 0, character != "-" { grouped.append(",") }
            grouped.append(character)
        }
        return String(grouped.reversed())
    }

    static func decimal(_ value: Double, places: Int = 1) -> String {
        String(format: "%.\(places)f", value)
    }

    static func rate(_ value: Double) -> String { count(Int(value.rounded())) + " /s" }

    static func kibibytes(_ bytes: Double) -> String { decimal(bytes / 1024) + " KiB" }

    static func mebibytes(_ bytes: UInt64?) -> String {
        bytes.map { decimal(Double($0) / 1_048_576) + " MiB" } ?? "n/a"
    }

    static func latency(_ summary: LatencySummary) -> String {
        guard summary.count > 0 else { return "n/a" }
        return "p50 \(ms(summary.p50Ms))  p90 \(ms(summary.p90Ms))  p99 \(ms(summary.p99Ms))  "
            + "p99.9 \(ms(summary.p999Ms))  max \(ms(summary.maxMs))"
    }

    static func ms(_ value: Double) -> String {
        value < 10 ? decimal(value, places: 3) + " ms" : decimal(value, places: 1) + " ms"
    }

    static func errors(_ errors: [String: UInt64]) -> String {
        errors.isEmpty ? "0" : errors.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    }
}

extension ConnectionsReport {
    public var table: ReportTable {
        ReportTable(title: "tacit bench connections", rows: [
            ("connections", "\(Figures.count(connected)) of \(Figures.count(requested)) (\(failed) failed, "
                + "\(droppedWhileHeld) dropped while held)"),
            ("workers", "\(workers)"),
            ("connect rate", Figures.rate(connectionsPerSecond) + " (\(Figures.decimal(connectSeconds, places: 2)) s)"),
            ("login latency", Figures.latency(login)),
            ("held", Figures.decimal(holdSeconds) + " s"),
            ("server pid", serverPIDs.isEmpty ? "not found (give --server-pid)"
                : serverPIDs.map { "\($0)" }.joined(separator: ", ")),
            ("server RSS at start", Figures.mebibytes(serverRSSStartBytes)),
            ("server RSS registered", Figures.mebibytes(serverRSSBeforeBytes)),
            ("server RSS connected", Figures.mebibytes(serverRSSConnectedBytes)),
            ("server RSS after hold", Figures.mebibytes(serverRSSHeldBytes)),
            ("server memory / connection", serverBytesPerConnection.map(Figures.kibibytes) ?? "n/a"),
            ("server open connections", serverOpenConnections.map { Figures.count($0) } ?? "n/a (no /metrics)"),
        ])
    }
}

extension MessagesReport {
    public var table: ReportTable {
        let load = window.map { "window \($0)" } ?? offeredRate.map { "offered \(Figures.rate($0))" } ?? mode
        return ReportTable(title: "tacit bench messages", rows: [
            ("pairs", "\(pairs) (\(2 * pairs) devices, both directions), \(load), \(bodySize)-byte bodies"),
            ("measured", Figures.decimal(durationSeconds, places: 2) + " s"),
            ("delivered", Figures.rate(deliveredPerSecond)),
            ("latency", Figures.latency(latency)),
            ("sent / delivered", "\(Figures.count(sent)) / \(Figures.count(delivered))"),
            ("lost / duplicated / reordered", "\(lost) / \(duplicated) / \(reordered)"),
            ("server errors", Figures.errors(errors)),
        ])
    }
}

extension GroupReport {
    public var table: ReportTable {
        ReportTable(title: "tacit bench group", rows: [
            ("members", "\(members) online, \(rounds) measured rounds, \(bodySize)-byte bodies"),
            ("last member has it", Figures.latency(last)),
            ("first member has it", Figures.latency(first)),
            ("deliveries", Figures.count(delivered)),
            ("lost / duplicated", "\(lost) / \(duplicated)"),
            ("server errors", Figures.errors(errors)),
        ])
    }
}

/// JSON for `--json`: sorted keys, so runs diff cleanly.
public enum ReportJSON {
    public static func encode(_ report: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return (try? encoder.encode(report)).map { String(decoding: $0, as: UTF8.self) + "\n" } ?? "{}\n"
    }
}
