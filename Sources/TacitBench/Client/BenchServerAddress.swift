import Foundation

/// Where the server under test listens: `ws://HOST:PORT` (or `http://`); loopback only,
/// since the generator is for measuring a server on this machine.
public struct BenchServerAddress: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public struct Invalid: Error, CustomStringConvertible {
        public var description: String
    }

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    public init(parsing text: String) throws(Invalid) {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(),
              ["ws", "http"].contains(scheme), let host = url.host else {
            throw Invalid(description: "expected a server URL like ws://127.0.0.1:8080, not '\(text)' "
                              + "(TLS is not benchmarked: point the bench at the plain listener)")
        }
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        guard bare == "localhost" || bare.hasPrefix("127.") || bare == "::1" else {
            throw Invalid(description: "the bench talks to loopback servers only, not \(host)")
        }
        self.host = bare == "localhost" ? "127.0.0.1" : bare
        self.port = url.port ?? 80
    }

    public var description: String { "ws://\(host):\(port)" }

    /// Every address in `texts`, each of which may itself list several, comma-separated:
    /// `--server ws://127.0.0.1:8080 --server ws://127.0.0.1:8081` or `--server A,B`.
    public static func list(parsing texts: [String]) throws(Invalid) -> [BenchServerAddress] {
        var addresses: [BenchServerAddress] = []
        for text in texts {
            for part in text.split(separator: ",") where !part.trimmingCharacters(in: .whitespaces).isEmpty {
                addresses.append(try BenchServerAddress(parsing: part.trimmingCharacters(in: .whitespaces)))
            }
        }
        guard !addresses.isEmpty else { throw Invalid(description: "no server given") }
        return addresses
    }
}
