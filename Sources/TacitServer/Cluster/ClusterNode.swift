import Foundation

/// Who this server process is among the nodes sharing one database.
///
/// `id` is the operator's name for the node (or one derived from the host name); `instance`
/// is fresh for every start, so a restarted node, or two nodes given the same id by
/// mistake, never take each other's notifications for their own.
struct ClusterNode: Sendable, Equatable, CustomStringConvertible {
    /// Why a node id was refused.
    struct InvalidID: Error, CustomStringConvertible {
        var id: String
        var description: String {
            "node id '\(id)' must be 1–64 characters of A–Z, a–z, 0–9, '.', '_' or '-'"
        }
    }

    let id: String
    let instance: String

    /// - Parameter id: the configured node id; `nil` derives one from the host name.
    init(id: String?, instance: String = ClusterNode.randomInstance()) throws(InvalidID) {
        let chosen = id ?? Self.derivedID()
        guard Self.isValid(chosen) else { throw InvalidID(id: chosen) }
        self.id = chosen
        self.instance = instance
    }

    /// How this node signs what it publishes: id and instance, unique per process.
    var sender: String { "\(id)~\(instance)" }

    var description: String { sender }

    static func isValid(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= 64 && id.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
    }

    /// The host name's first label, cut to what a node id allows ("node" if nothing is left).
    static func derivedID(hostName: String = ProcessInfo.processInfo.hostName) -> String {
        let label = hostName.split(separator: ".").first.map(String.init) ?? ""
        let kept = String(label.filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }.prefix(64))
        return kept.isEmpty ? "node" : kept
    }

    static func randomInstance() -> String {
        SecureRandom.bytes(5).map { String(format: "%02x", $0) }.joined()
    }
}
