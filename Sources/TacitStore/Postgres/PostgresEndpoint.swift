import Foundation

/// Where a PostgreSQL database is and how to log in, parsed from a URL of the form
/// `postgres://user:password@host:port/database?sslmode=…`.
///
/// User, password and database are percent-decoded. The port defaults to 5432; `sslmode`
/// is `disable` (the default), `prefer`, `require` or `verify-full`. Unlike libpq, every
/// mode that uses TLS verifies the server's certificate and host name.
public struct PostgresEndpoint: Sendable, Equatable {
    public enum TLSMode: String, Sendable, Equatable {
        case disable
        /// TLS if the server offers it, else plain text.
        case prefer
        /// TLS or no connection.
        case require
    }

    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    public var tls: TLSMode

    public init(host: String, port: Int = 5432, username: String, password: String?, database: String,
                tls: TLSMode = .disable) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.tls = tls
    }

    /// Why a database URL was refused.
    public struct URLError: Error, Equatable, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Parses `url`; throws ``URLError`` naming what is wrong (the password is never echoed).
    public init(url: String) throws {
        guard let components = URLComponents(string: url) else {
            throw URLError(description: "not a URL (expected postgres://user:password@host:port/database)")
        }
        guard let scheme = components.scheme?.lowercased(), scheme == "postgres" || scheme == "postgresql" else {
            throw URLError(description: "the scheme must be postgres:// or postgresql://")
        }
        guard let host = components.host, !host.isEmpty else {
            throw URLError(description: "the URL names no host")
        }
        guard let username = components.user, !username.isEmpty else {
            throw URLError(description: "the URL names no user")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else {
            throw URLError(description: "the URL's path must be exactly one database name")
        }
        if let port = components.port, !(1...65535).contains(port) {
            throw URLError(description: "port \(port) is out of range")
        }

        var tls = TLSMode.disable
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                switch item.value {
                case "disable": tls = .disable
                case "prefer": tls = .prefer
                case "require", "verify-full": tls = .require
                default:
                    throw URLError(description: "sslmode must be disable, prefer, require or verify-full")
                }
            default:
                throw URLError(description: "unknown URL parameter '\(item.name)' (only sslmode is understood)")
            }
        }

        // URLComponents keeps IPv6 hosts in brackets, which socket addresses do not take.
        let bareHost = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        self.init(host: bareHost, port: components.port ?? 5432, username: username,
                  password: components.password, database: database, tls: tls)
    }

    /// The same server and login with another database (for creating and dropping databases).
    public func with(database: String) -> PostgresEndpoint {
        var copy = self
        copy.database = database
        return copy
    }

    /// The endpoint as a URL, with the password replaced by `***` (for logs and errors).
    public var redactedDescription: String {
        let host = self.host.contains(":") ? "[\(self.host)]" : self.host
        let login = password == nil ? username : "\(username):***"
        return "postgres://\(login)@\(host):\(port)/\(database)?sslmode=\(tls.rawValue)"
    }
}
