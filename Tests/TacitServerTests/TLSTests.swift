import Foundation
import TacitServer
import TacitWire
import Testing

@Suite struct TLSTests {
    /// A throwaway self-signed certificate and key, made with the system's openssl.
    static func makeCertificate(in directory: String) throws -> ServerConfiguration.TLSFiles {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let files = ServerConfiguration.TLSFiles(certificateChainPath: directory + "/cert.pem",
                                                 privateKeyPath: directory + "/key.pem")
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        openssl.arguments = ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                             "-keyout", files.privateKeyPath, "-out", files.certificateChainPath, "-days", "1",
                             "-subj", "/CN=127.0.0.1"]
        openssl.standardOutput = FileHandle.nullDevice
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        guard openssl.terminationStatus == 0 else { throw TestSocket.Failure.unexpected("openssl failed") }
        return files
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl")))
    func theHandshakeWorksOverTLS() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tacit-tls-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let files = try Self.makeCertificate(in: directory)
        try await withTestServer({ $0.tls = files }) { server in
            let socket = await TestSocket.connectTLS(port: server.port)
            let answer = try await socket.request(.hello())
            guard case .challenge(let challenge) = answer.body else {
                Issue.record("expected a challenge over TLS, got \(answer)")
                return
            }
            #expect(Array(challenge.serverKey) == server.serverKey)
            // Plain WebSocket to a TLS port gets nowhere.
            let plain = await server.connect()
            await #expect(throws: (any Error).self) { try await plain.request(.hello(), timeout: .seconds(3)) }
        }
    }

    @Test func missingCertificateFilesStopTheStart() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tacit-tls-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let files = ServerConfiguration.TLSFiles(certificateChainPath: "/nonexistent/cert.pem",
                                                 privateKeyPath: "/nonexistent/key.pem")
        await #expect(throws: TacitServerError.self) {
            let server = try await TestServer.start(dataDirectory: directory) { $0.tls = files }
            try await server.stop()
        }
    }
}
