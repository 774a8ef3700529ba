import Foundation
import TacitTestSupport
import Testing

/// The `tacit` executable end to end: a child server, two homes, account creation,
/// and the hidden raw-transport developer commands (`tacit dev send-raw` / `receive-raw`).
@Suite struct CommandLineTests {
    @Test(.timeLimit(.minutes(3)))
    func createSendAndReceive() async throws {
        let server = ChildServer()
        try await server.start()
        let aliceHome = TemporaryDirectory.make("cli-alice").path
        let bobHome = TemporaryDirectory.make("cli-bob").path

        let createAlice = try await ChildProcess.run(["account", "create", "alice", "--server", server.url,
                                                      "--home", aliceHome])
        #expect(createAlice.status == 0, "\(createAlice.stderr)")
        #expect(createAlice.stdout.contains("created account alice"))
        #expect(createAlice.stdout.contains("server key pinned"))
        // TACIT_HOME works as well as --home.
        let createBob = try await ChildProcess.run(["account", "create", "bob", "--server", server.url],
                                                   environment: ["TACIT_HOME": bobHome])
        #expect(createBob.status == 0, "\(createBob.stderr)")

        let send = try await ChildProcess.run(["dev", "send-raw", "--to", "bob", "--home", aliceHome, "hello from the cli"])
        #expect(send.status == 0, "\(send.stderr)")
        #expect(send.stderr.contains("not end-to-end encrypted: raw transport, a developer tool"))
        #expect(send.stdout.contains("sent to 1 device"))

        let receive = try await ChildProcess.run(["dev", "receive-raw", "--home", bobHome])
        #expect(receive.status == 0, "\(receive.stderr)")
        #expect(receive.stderr.contains("not end-to-end encrypted: raw transport, a developer tool"))
        #expect(receive.stdout.contains("alice"))
        #expect(receive.stdout.contains("hello from the cli"))

        // Acknowledged: a second receive finds nothing.
        let again = try await ChildProcess.run(["dev", "receive-raw", "--home", bobHome])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(!again.stdout.contains("hello from the cli"))

        let list = try await ChildProcess.run(["device", "list", "--home", aliceHome])
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stdout.contains("alice: 1 device"))
        #expect(list.stdout.contains("(this device)"))

        // The developer tools stay out of the help people read.
        let help = try await ChildProcess.run(["--help"])
        #expect(!help.stdout.contains("Developer tools"))
        #expect(help.stdout.contains("chat"))

        // A mistake gets a message for people and a failure status.
        let taken = try await ChildProcess.run(["account", "create", "alice", "--server", server.url,
                                                "--home", TemporaryDirectory.make("cli-other").path])
        #expect(taken.status != 0)
        #expect(taken.stderr.contains("taken"))

        await server.stop()
    }

    @Test(.timeLimit(.minutes(2)))
    func theServerStartsWithDefaultsFromFlagsEnvironmentAndFile() async throws {
        let data = TemporaryDirectory.make("cli-config")
        let file = data.appendingPathComponent("tacit.json")
        try Data(#"{"port": 1, "host": "127.0.0.1", "logLevel": "warning"}"#.utf8).write(to: file)
        // The flag (--port 0) beats the file (port 1); the environment names the file.
        let child = try ChildProcess(arguments: ["server", "--port", "0", "--data-dir", data.path],
                                     environment: ["TACIT_CONFIG": file.path])
        let deadline = ContinuousClock.now + .seconds(60)
        var port: Int?
        while port == nil, child.isRunning, ContinuousClock.now < deadline {
            port = ChildServer.listeningPort(in: child.stdout.text)
            try await Task.sleep(for: .milliseconds(20))
        }
        let bound = try #require(port, "no listening line: \(child.stdout.text) \(child.stderr.text)")
        #expect(bound != 1 && bound != 0)
        #expect(child.stdout.text.contains("server key:"))
        #expect(FileManager.default.fileExists(atPath: data.appendingPathComponent("tacit.sqlite").path))
        // SIGTERM shuts down gracefully with status 0.
        await child.kill(SIGTERM)
        #expect(child.process.endStatus == 0, "\(child.stderr.text)")
    }
}
