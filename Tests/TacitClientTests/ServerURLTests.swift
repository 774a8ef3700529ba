import Testing
@testable import TacitClient

@Suite struct ServerURLTests {
    @Test(arguments: [
        ("ws://127.0.0.1:8080", "ws://127.0.0.1:8080"),
        ("http://127.0.0.1:8080/", "ws://127.0.0.1:8080"),
        ("https://chat.example.org", "wss://chat.example.org"),
        ("WSS://Chat.Example.org:443", "wss://Chat.Example.org:443"),
        ("localhost:9000", "ws://localhost:9000"),
    ])
    func normalizes(input: String, expected: String) throws {
        let url = try ServerURL(input)
        #expect(url.base == expected)
        #expect(url.connectURL == expected + "/v1/connect")
    }

    @Test(arguments: ["ftp://example.org", "ws://", "", "ws://host:80/?x=1"])
    func rejects(input: String) {
        #expect(throws: ClientError.self) { try ServerURL(input) }
    }

    @Test func tlsFollowsTheScheme() throws {
        #expect(try ServerURL("https://a.example").usesTLS)
        #expect(try !ServerURL("http://a.example").usesTLS)
    }
}
