import Crypto
import Foundation
import Testing

/// `tacit send --file`, `tacit read --download` and a send killed with SIGKILL mid-upload,
/// with the real binary against a child server.
@Suite struct SendFileCLITests {
    @Test(.timeLimit(.minutes(4)))
    func sendFileAndReadDownloadAreByteExact() async throws {
        let server = ChildServer()
        try await server.start()
        let (alice, bob) = try await Self.contacts(on: server)
        let folder = TemporaryDirectory.make("cli-file")
        let file = folder.appendingPathComponent("report.pdf")
        let bytes = AttachmentConversationTests.pattern(5 << 20 + 123, seed: 5)
        try Data(bytes).write(to: file)

        let send = try await alice.run(["send", "bob", "--file", file.path, "the report"])
        #expect(send.status == 0, "\(send.stderr)")
        #expect(send.stdout.contains("sent to bob"))
        #expect(send.stderr.contains("upload ["), "a progress bar for a 5 MiB upload: \(send.stderr)")

        let downloads = TemporaryDirectory.make("cli-downloads")
        let result = try await bob.run(["read", "--json", "--download", downloads.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("download ["), "a progress bar for the download: \(result.stderr)")
        let lines = try result.stdout.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        let message = try #require(lines.first { $0["attachment"] is [String: Any] }, "\(lines)")
        #expect(message["text"] as? String == "the report")
        let attachment = try #require(message["attachment"] as? [String: Any])
        #expect(attachment["kind"] as? String == "file")
        #expect(attachment["fileName"] as? String == "report.pdf")
        #expect(attachment["size"] as? Int == bytes.count)
        #expect(attachment["mediaType"] as? String == "application/pdf")
        #expect((attachment["blobID"] as? String)?.count == 64)
        #expect((attachment["sha256"] as? String)?.count == 64)
        #expect(attachment["descriptor"] is String)
        let saved = try #require(attachment["savedTo"] as? String)
        #expect(saved == downloads.appendingPathComponent("report.pdf").path)
        #expect(try Data(contentsOf: URL(fileURLWithPath: saved)) == Data(bytes))

        // A voice message, shown in the human format; a second download never overwrites.
        let voice = folder.appendingPathComponent("memo.ogg")
        try Data(AttachmentConversationTests.pattern(3000, seed: 9)).write(to: voice)
        try await alice.succeed(["send", "bob", "--file", voice.path, "--voice"], printing: "sent to bob")
        let human = try await bob.succeed(["read", "--download", downloads.path])
        #expect(human.contains("alice: [voice memo.ogg 3.0 kB]"), "\(human)")
        #expect(try Data(contentsOf: downloads.appendingPathComponent("memo.ogg")) == Data(AttachmentConversationTests.pattern(3000, seed: 9)))

        let missing = try await alice.run(["send", "bob", "--file", folder.appendingPathComponent("nope").path])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("cannot read"))
        await server.stop()
    }

    /// The sending process is SIGKILLed halfway through a 200 MiB upload; the same command
    /// run again continues the same blob from where the server stood, and the recipient
    /// gets exactly the file.
    @Test(.timeLimit(.minutes(8)))
    func aSendKilledMidUploadResumesWhenRunAgain() async throws {
        let server = ChildServer()
        try await server.start()
        let (alice, bob) = try await Self.contacts(on: server)
        let folder = TemporaryDirectory.make("cli-kill")
        let file = folder.appendingPathComponent("big.bin")
        try Self.writeRandomFile(file, mebibytes: 200)

        let arguments = ["send", "bob", "--file", file.path, "--home", alice.home]
        let first = try ChildProcess(arguments: arguments)
        let deadline = ContinuousClock.now + .seconds(240)
        var killedAt = 0
        while ContinuousClock.now < deadline, first.isRunning {
            killedAt = Self.lastPercent(in: first.stderr.text) ?? 0
            if killedAt >= 40 { break }
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(first.isRunning, "the first run finished before it could be killed: \(first.stderr.text)")
        await first.kill(SIGKILL)
        #expect(killedAt >= 40 && killedAt < 100, "killed at \(killedAt)%")
        let blobsBefore = Self.blobIDs(under: server.dataDirectory)
        #expect(blobsBefore.count == 1, "\(blobsBefore)")

        let second = try await alice.run(["send", "bob", "--file", file.path])
        #expect(second.status == 0, "\(second.stderr)")
        let resumedFrom = Self.firstPercent(in: second.stderr) ?? 0
        // The server keeps what it confirmed: whole 16 MiB segments (8% of the file each).
        #expect(resumedFrom >= max(10, killedAt - 20), "the second run starts near where the first stopped (\(resumedFrom)%, killed at \(killedAt)%)")
        #expect(Self.blobIDs(under: server.dataDirectory) == blobsBefore, "the same blob, not a new upload")

        let downloads = TemporaryDirectory.make("cli-kill-downloads")
        let read = try await bob.run(["read", "--json", "--download", downloads.path])
        #expect(read.status == 0, "\(read.stderr)")
        let received = downloads.appendingPathComponent("big.bin")
        #expect(try Self.sha256(of: received) == Self.sha256(of: file))
        let messages = read.stdout.split(separator: "\n").filter { $0.contains("\"attachment\":{") }
        #expect(messages.count == 1, "one message, not two: \(read.stdout)")
        await server.stop()
    }

    // MARK: Helpers

    static func contacts(on server: ChildServer) async throws -> (CLIAccount, CLIAccount) {
        let alice = try await CLIAccount.create("alice", on: server)
        let bob = try await CLIAccount.create("bob", on: server)
        try await alice.succeed(["contacts", "add", "bob"], printing: "contact request sent to bob")
        try await bob.succeed(["contacts", "accept", "alice"], printing: "alice is now a contact")
        // Let alice's device see the acceptance before it sends.
        _ = try await alice.succeed(["read", "--peek"])
        return (alice, bob)
    }

    static func writeRandomFile(_ url: URL, mebibytes: Int) throws {
        FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        var block = [UInt8](repeating: 0, count: 1 << 20)
        for index in 0..<mebibytes {
            block.withUnsafeMutableBytes { raw in
                for offset in stride(from: 0, to: raw.count, by: 8) {
                    raw.storeBytes(of: UInt64.random(in: 0...UInt64.max) ^ UInt64(index), toByteOffset: offset, as: UInt64.self)
                }
            }
            try handle.write(contentsOf: block)
        }
    }

    /// The percentages a progress bar printed (`... 37% ...`), in order.
    static func percents(in text: String) -> [Int] {
        text.split(separator: "\r").compactMap { line in
            guard let end = line.firstIndex(of: "%") else { return nil }
            let digits = line[..<end].reversed().prefix { $0.isNumber || $0 == " " }
            return Int(String(digits.reversed()).trimmingCharacters(in: .whitespaces))
        }
    }

    static func lastPercent(in text: String) -> Int? { percents(in: text).last }
    static func firstPercent(in text: String) -> Int? { percents(in: text).first }

    /// The ids of the blobs in a server data directory (one `.meta` sidecar each).
    static func blobIDs(under dataDirectory: URL) -> Set<String> {
        let blobs = dataDirectory.appendingPathComponent("blobs")
        let names = FileManager.default.enumerator(atPath: blobs.path)?.compactMap { $0 as? String } ?? []
        return Set(names.filter { $0.hasSuffix(".meta") }.map { ($0 as NSString).lastPathComponent.replacingOccurrences(of: ".meta", with: "") })
    }

    static func sha256(of url: URL) throws -> SHA256.Digest {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var hash = SHA256()
        while let chunk = try handle.read(upToCount: 4 << 20), !chunk.isEmpty { hash.update(data: chunk) }
        return hash.finalize()
    }
}
