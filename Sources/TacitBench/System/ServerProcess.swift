import Foundation

/// The server process under test, seen from outside through `/proc`: which process listens
/// on a loopback port, and how much memory it holds.
public enum ServerProcess {
    /// The pid of the process that listens on TCP `port` (IPv4 or IPv6), if this user may see it.
    public static func pidListening(onPort port: Int) -> Int32? {
        var inodes = Set<String>()
        for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
            guard let text = try? String(contentsOfFile: table, encoding: .utf8) else { continue }
            inodes.formUnion(listeningInodes(inTable: text, port: port))
        }
        guard !inodes.isEmpty else { return nil }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for entry in entries {
            guard let pid = Int32(entry) else { continue }
            let fdDirectory = "/proc/\(entry)/fd"
            guard let fds = try? FileManager.default.contentsOfDirectory(atPath: fdDirectory) else { continue }
            for fd in fds {
                guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "\(fdDirectory)/\(fd)"),
                      target.hasPrefix("socket:[") else { continue }
                if inodes.contains(String(target.dropFirst(8).dropLast())) { return pid }
            }
        }
        return nil
    }

    /// Socket inodes in LISTEN state (0A) on `port`, from the text of `/proc/net/tcp[6]`.
    static func listeningInodes(inTable text: String, port: Int) -> [String] {
        let portHex = String(format: "%04X", port)
        return text.split(separator: "\n").dropFirst().compactMap { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count > 9, fields[3] == "0A",
                  fields[1].split(separator: ":").last.map(String.init)?.uppercased() == portHex else { return nil }
            return String(fields[9])
        }
    }

    /// Resident memory of `pid` in bytes (`VmRSS` in `/proc/PID/status`).
    public static func residentBytes(pid: Int32) -> UInt64? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        return residentBytes(status: text)
    }

    /// Resident memory of all of `pids` together; nil when there are none or one cannot be read.
    public static func residentBytes(pids: [Int32]) -> UInt64? {
        guard !pids.isEmpty else { return nil }
        var total: UInt64 = 0
        for pid in pids {
            guard let bytes = residentBytes(pid: pid) else { return nil }
            total += bytes
        }
        return total
    }

    /// `VmRSS` from the text of a `/proc/PID/status` file, in bytes.
    static func residentBytes(status text: String) -> UInt64? {
        for line in text.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 3, let value = UInt64(fields[1]) else { return nil }
            return fields[2].lowercased() == "kb" ? value * 1024 : value
        }
        return nil
    }
}
