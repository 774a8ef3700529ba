import TacitStore
import Testing

@Suite("PostgreSQL database URLs")
struct PostgresEndpointTests {
    @Test("a full URL gives every part, percent-decoded")
    func fullURL() throws {
        let endpoint = try PostgresEndpoint(url: "postgres://tacit%40ops:p%2Fss%3Aw@db.example.org:6543/tacit%5Fprod?sslmode=require")
        #expect(endpoint == PostgresEndpoint(host: "db.example.org", port: 6543, username: "tacit@ops",
                                             password: "p/ss:w", database: "tacit_prod", tls: .require))
    }

    @Test("the port defaults to 5432, TLS to disabled, and the password may be absent")
    func defaults() throws {
        let endpoint = try PostgresEndpoint(url: "postgresql://tacit@localhost/tacit")
        #expect(endpoint == PostgresEndpoint(host: "localhost", port: 5432, username: "tacit", password: nil,
                                             database: "tacit", tls: .disable))
    }

    @Test("an IPv6 host loses its brackets")
    func ipv6() throws {
        let endpoint = try PostgresEndpoint(url: "postgres://u:p@[::1]:5433/db?sslmode=prefer")
        #expect(endpoint.host == "::1")
        #expect(endpoint.port == 5433)
        #expect(endpoint.tls == .prefer)
    }

    @Test("malformed URLs are refused with a reason", arguments: [
        "mysql://u:p@h/db",
        "postgres://h/db",
        "postgres://u:p@/db",
        "postgres://u:p@h",
        "postgres://u:p@h/",
        "postgres://u:p@h/a/b",
        "postgres://u:p@h:0/db",
        "postgres://u:p@h/db?sslmode=sometimes",
        "postgres://u:p@h/db?pool=9",
        "not a url at all",
    ])
    func refused(url: String) {
        #expect(throws: PostgresEndpoint.URLError.self) { try PostgresEndpoint(url: url) }
    }

    @Test("the redacted form never shows the password")
    func redacted() throws {
        let endpoint = try PostgresEndpoint(url: "postgres://tacit:hunter2@127.0.0.1:5432/tacit")
        #expect(!endpoint.redactedDescription.contains("hunter2"))
        #expect(endpoint.redactedDescription == "postgres://tacit:***@127.0.0.1:5432/tacit?sslmode=disable")
    }
}
