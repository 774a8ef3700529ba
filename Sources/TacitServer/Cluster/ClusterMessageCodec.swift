import TacitStore

/// The text form of ``ClusterMessage`` inside a PostgreSQL `NOTIFY` payload.
///
/// A payload is `t1 KIND SENDER ITEMS`: `KIND` is `w` (wake), `c` (claim) or `r` (revoke);
/// `ITEMS` are comma-separated lower-case base-36 device ids, for claims each followed
/// by `.` and the base-36 connection sequence. Base 36 keeps a payload small: about 1,500
/// wakeups fit in one, and ``encode(_:sender:maxBytes:)`` splits longer lists so that no
/// payload reaches PostgreSQL's 8,000-byte limit. Payloads of an unknown version or kind
/// decode to `nil`, so an older node ignores what a newer one adds.
enum ClusterMessageCodec {
    static let version = "t1"
    /// Below PostgreSQL's limit (payloads must be shorter than 8,000 bytes), with room to spare.
    static let maxPayloadBytes = 7_900

    /// The payloads carrying `message`, each at most `maxBytes` long; none for an empty list.
    static func encode(_ message: ClusterMessage, sender: String, maxBytes: Int = maxPayloadBytes) -> [String] {
        let (kind, items): (String, [String]) = switch message {
        case .wake(let devices): ("w", devices.map { String($0, radix: 36) })
        case .claim(let claims): ("c", claims.map { String($0.device, radix: 36) + "." + String($0.sequence, radix: 36) })
        case .revoke(let devices): ("r", devices.map { String($0, radix: 36) })
        }
        let prefix = "\(version) \(kind) \(sender) "
        var payloads: [String] = []
        var current = prefix
        var count = 0
        for item in items {
            if count > 0, current.utf8.count + 1 + item.utf8.count > maxBytes {
                payloads.append(current)
                current = prefix
                count = 0
            }
            if count > 0 { current += "," }
            current += item
            count += 1
        }
        if count > 0 { payloads.append(current) }
        return payloads
    }

    /// The message in `payload`, or `nil` when it is not one this build understands.
    static func decode(_ payload: String) -> ReceivedClusterMessage? {
        let parts = payload.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == version, !parts[2].isEmpty, !parts[3].isEmpty else { return nil }
        let sender = String(parts[2])
        let items = parts[3].split(separator: ",", omittingEmptySubsequences: false)
        switch parts[1] {
        case "w":
            guard let devices = ids(items) else { return nil }
            return ReceivedClusterMessage(sender: sender, message: .wake(devices))
        case "r":
            guard let devices = ids(items) else { return nil }
            return ReceivedClusterMessage(sender: sender, message: .revoke(devices))
        case "c":
            var claims: [ConnectionClaim] = []
            claims.reserveCapacity(items.count)
            for item in items {
                let fields = item.split(separator: ".", omittingEmptySubsequences: false)
                guard fields.count == 2, let device = id(fields[0]), let sequence = id(fields[1]) else { return nil }
                claims.append(ConnectionClaim(device: device, sequence: sequence))
            }
            return ReceivedClusterMessage(sender: sender, message: .claim(claims))
        default:
            return nil
        }
    }

    private static func ids(_ items: [Substring]) -> [DeviceID]? {
        var devices: [DeviceID] = []
        devices.reserveCapacity(items.count)
        for item in items {
            guard let device = id(item) else { return nil }
            devices.append(device)
        }
        return devices
    }

    /// Strict base 36: lower-case digits only, no sign, no empty string.
    private static func id(_ text: Substring) -> UInt64? {
        guard !text.isEmpty, text.utf8.count <= 13,
              text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
                                      || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) })
        else { return nil }
        return UInt64(text, radix: 36)
    }
}
