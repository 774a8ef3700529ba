import Foundation
import Synchronization
import TacitClient

/// Pixel size, duration and a thumbnail for `tacit media upload`, from `ffprobe` and `ffmpeg`
/// where they are installed. Without them the upload goes ahead with what is known.
enum MediaProbe {
    static func describe(_ file: URL, mediaType: String, metadata: AttachmentMetadata, client: TacitClient,
                         recipients: Int) async throws -> AttachmentMetadata {
        guard let ffprobe = executable("ffprobe") else {
            printError("note: ffprobe/ffmpeg are not installed, so no thumbnail, pixel size or duration is added "
                + "(install ffmpeg to get them)")
            return metadata
        }
        var metadata = metadata
        let isVisual = mediaType.hasPrefix("image/") || mediaType.hasPrefix("video/")
        if let output = run(ffprobe, ["-v", "error", "-show_entries", "format=duration:stream=codec_type,width,height",
                                      "-of", "json", file.path]),
           let object = try? JSONSerialization.jsonObject(with: output) as? [String: Any] {
            let streams = object["streams"] as? [[String: Any]] ?? []
            if isVisual, let video = streams.first(where: { $0["codec_type"] as? String == "video" }),
               let width = video["width"] as? Int, let height = video["height"] as? Int, width > 0, height > 0 {
                metadata.imageSize = try? AttachmentImageSize(width: UInt32(clamping: width), height: UInt32(clamping: height))
            }
            if !mediaType.hasPrefix("image/"), let text = (object["format"] as? [String: Any])?["duration"] as? String,
               let seconds = Double(text), seconds.isFinite, seconds >= 0 {
                metadata.durationMilliseconds = UInt64(seconds * 1000)
            }
        }
        guard isVisual else { return metadata }
        guard let ffmpeg = executable("ffmpeg") else {
            printError("note: ffmpeg is not installed, so no thumbnail is added")
            return metadata
        }
        let thumbnail = FileManager.default.temporaryDirectory.appendingPathComponent("tacit-thumb-\(UUID().uuidString).jpg")
        defer { try? FileManager.default.removeItem(at: thumbnail) }
        guard run(ffmpeg, ["-v", "error", "-y", "-i", file.path, "-frames:v", "1",
                           "-vf", "scale='min(320,iw)':-2", thumbnail.path]) != nil,
              FileManager.default.fileExists(atPath: thumbnail.path)
        else {
            printError("note: ffmpeg could not make a thumbnail of \(file.lastPathComponent)")
            return metadata
        }
        do {
            metadata.thumbnail = try await client.mediaTransfers().uploadThumbnail(
                file: thumbnail, mediaType: "image/jpeg", expectedRecipients: recipients)
        } catch {
            printError("note: the thumbnail could not be uploaded: \(error)")
        }
        return metadata
    }

    /// The first `name` on `PATH`.
    static func executable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Standard output of the program, or `nil` if it failed.
    private static func run(_ program: String, _ arguments: [String]) -> Data? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return process.terminationStatus == 0 ? data : nil
    }
}

/// A one-line progress bar on standard error, for transfers of 4 MiB and more.
final class TransferProgressBar: Sendable {
    let label: String
    private let start = ContinuousClock.now
    private let drawn = Mutex(false)

    init(label: String) { self.label = label }

    var handler: MediaProgressHandler {
        { [self] event in
            switch event {
            case .started, .completed, .failed:
                if case .started = event { return }
                if drawn.withLock({ $0 }) { FileHandle.standardError.write(Data("\n".utf8)) }
            case .progress(let bytes, let total):
                guard total >= 4 << 20 else { return }
                drawn.withLock { $0 = true }
                draw(bytes, total)
            }
        }
    }

    private func draw(_ bytes: UInt64, _ total: UInt64) {
        let fraction = total == 0 ? 1 : Double(bytes) / Double(total)
        let width = 30
        let filled = min(width, Int(fraction * Double(width)))
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rate = seconds > 0 ? Double(bytes) / 1_048_576 / seconds : 0
        let line = String(format: "\r%@ [%@%@] %3.0f%% %.1f/%.1f MiB %.0f MiB/s", label,
                          String(repeating: "#", count: filled), String(repeating: ".", count: width - filled),
                          fraction * 100, Double(bytes) / 1_048_576, Double(total) / 1_048_576, rate)
        FileHandle.standardError.write(Data(line.utf8))
    }
}
