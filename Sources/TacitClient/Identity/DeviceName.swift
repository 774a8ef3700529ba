import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Device names are labels people choose ("laptop"); the server accepts up to 64
/// characters without control characters.
public enum DeviceName {
    public static let maxLength = 64

    /// This machine's host name, as a default device name. (Read with `gethostname`, which
    /// unlike `ProcessInfo.hostName` never waits for DNS.)
    public static var local: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "device" }
        let name = sanitize(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        return name.isEmpty ? "device" : name
    }

    /// `name` without control characters, cut to ``maxLength``.
    public static func sanitize(_ name: String) -> String {
        let visible = name.unicodeScalars.filter { $0.properties.generalCategory != .control }
        return String(String.UnicodeScalarView(visible).prefix(maxLength))
    }
}
