import Foundation
import TacitTestSupport
import Testing

/// `tacit send --file` with and without ffmpeg: where it is installed (scripts/test installs
/// it) the video's pixel size, duration and a thumbnail travel in the message; without it the
/// CLI says so and sends the file anyway.
@Suite struct MediaProbeCLITests {
    @Test(.timeLimit(.minutes(4)))
    func ffmpegAddsSizeDurationAndThumbnailAndItsAbsenceIsSaid() async throws {
        let ffmpeg = try #require(["/usr/bin/ffmpeg", "/usr/local/bin/ffmpeg"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }, "ffmpeg is missing: scripts/test installs it (Debian package ffmpeg)")
        let folder = TemporaryDirectory.make("cli-probe")
        let clip = folder.appendingPathComponent("clip.mp4")
        let made = try await Self.runTool(ffmpeg, ["-v", "error", "-f", "lavfi", "-i", "testsrc=duration=2:size=320x240:rate=10",
                                                    "-pix_fmt", "yuv420p", clip.path])
        #expect(made == 0)

        let server = ChildServer()
        try await server.start()
        let (alice, bob) = try await SendFileCLITests.contacts(on: server)
        try await alice.succeed(["send", "bob", "--file", clip.path, "a clip"], printing: "sent to bob")
        // Without ffmpeg on PATH: a note, and the file still goes.
        let empty = TemporaryDirectory.make("no-tools")
        let bare = try await ChildProcess.run(["send", "bob", "--file", clip.path, "bare", "--home", alice.home],
                                              environment: ["PATH": empty.path], timeout: 90)
        #expect(bare.status == 0, "\(bare.stderr)")
        #expect(bare.stderr.contains("not installed"), "\(bare.stderr)")

        let lines = try await bob.jsonLines(["read", "--json"])
        let probed = try #require(lines.first { $0["text"] as? String == "a clip" }?["attachment"] as? [String: Any], "\(lines)")
        #expect(probed["kind"] as? String == "video")
        #expect(probed["width"] as? Int == 320)
        #expect(probed["height"] as? Int == 240)
        let duration = try #require(probed["durationMs"] as? Int)
        #expect((1_800...2_200).contains(duration), "duration \(duration) ms")
        #expect(probed["thumbnail"] as? Bool == true)
        let plain = try #require(lines.first { $0["text"] as? String == "bare" }?["attachment"] as? [String: Any], "\(lines)")
        #expect(plain["durationMs"] is NSNull)
        #expect(plain["thumbnail"] as? Bool == false)
        await server.stop()
    }

    private static func runTool(_ path: String, _ arguments: [String]) async throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = ContinuousClock.now + .seconds(60)
        while !process.hasEnded, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        return process.endStatus
    }
}
