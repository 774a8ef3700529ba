import ArgumentParser
import Foundation
import TacitClient

/// `tacit media`: developer commands for encrypted attachments, without a conversation.
struct MediaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "media",
        abstract: "Upload and download encrypted attachments (developer tools).",
        discussion: """
            `upload` encrypts a file on this device, uploads it and prints its descriptor (key, digest \
            and blob id, base64): whoever has the descriptor can fetch and decrypt the file, so treat it \
            like the file itself. `download` fetches, verifies and decrypts a descriptor's file.
            """,
        subcommands: [MediaUploadCommand.self, MediaDownloadCommand.self])
}

/// `tacit media upload FILE`.
struct MediaUploadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "upload", abstract: "Encrypt and upload a file.")

    @OptionGroup var options: ClientOptions

    @Argument(help: "The file to upload.")
    var file: String

    @Option(help: "MIME type (default: guessed from the file name).")
    var type: String?

    @Option(help: "How many devices will fetch it (the blob is deleted soon after they did; 0: after 30 days).")
    var recipients = 0

    @Option(help: "Write the descriptor (binary) to this file instead of printing it as base64.")
    var descriptorOut: String?

    @Flag(help: "No thumbnail or duration, even where ffmpeg is installed.")
    var noProbe = false

    func run() async throws {
        MediaHeapTuning.apply()
        let url = URL(fileURLWithPath: (file as NSString).expandingTildeInPath)
        guard FileManager.default.isReadableFile(atPath: url.path) else { throw CLIError("cannot read \(file)") }
        let mediaType = type ?? MediaTypeGuess.mediaType(for: url)
        let descriptor = try await withClient(options) { client in
            var metadata = AttachmentMetadata(fileName: url.lastPathComponent)
            if !noProbe, mediaType.hasPrefix("image/") || mediaType.hasPrefix("video/") || mediaType.hasPrefix("audio/") {
                metadata = try await MediaProbe.describe(url, mediaType: mediaType, metadata: metadata, client: client,
                                                         recipients: recipients)
            }
            let bar = TransferProgressBar(label: "upload")
            do {
                return try await client.uploadAttachment(file: url, mediaType: mediaType, metadata: metadata,
                                                         expectedRecipients: recipients, progress: bar.handler)
            } catch {
                throw CLIError("\(error)")
            }
        }
        let bytes = Data(descriptor.serializedBytes())
        if let descriptorOut {
            try bytes.write(to: URL(fileURLWithPath: descriptorOut), options: Data.WritingOptions.atomic)
            printError("descriptor written to \(descriptorOut)")
        } else {
            printLine(bytes.base64EncodedString())
        }
        printError("blob \(descriptor.blobID): \(descriptor.file.plaintextSize) bytes, \(mediaType)"
            + (descriptor.durationMilliseconds.map { ", \($0) ms" } ?? "")
            + (descriptor.thumbnail.map { ", thumbnail \($0.blobID.prefix(12))…" } ?? ""))
    }
}

/// `tacit media download DESCRIPTOR --to PATH`.
struct MediaDownloadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "download",
                                                    abstract: "Fetch, verify and decrypt an attachment.")

    @OptionGroup var options: ClientOptions

    @Argument(help: "The descriptor: base64 as printed by `upload`, or @FILE for a binary one.")
    var descriptor: String

    @Option(help: "Where to save the file (default: the sender's file name in the current directory).")
    var to: String?

    @Flag(help: "Also save the thumbnail, as PATH.thumbnail.")
    var thumbnail = false

    func run() async throws {
        let bytes: Data
        if descriptor.hasPrefix("@") {
            guard let data = FileManager.default.contents(atPath: String(descriptor.dropFirst())) else {
                throw CLIError("cannot read \(descriptor.dropFirst())")
            }
            bytes = data
        } else {
            guard let data = Data(base64Encoded: descriptor) else { throw CLIError("the descriptor is not base64") }
            bytes = data
        }
        let parsed: AttachmentDescriptor
        do {
            parsed = try AttachmentDescriptor(serializedBytes: bytes)
        } catch {
            throw CLIError("not an attachment descriptor: \(error)")
        }
        // The sender's name is a suggestion: only its last component, never a path.
        let name = to ?? (parsed.fileName.map { ($0 as NSString).lastPathComponent } ?? parsed.blobID)
        let destination = URL(fileURLWithPath: (name as NSString).expandingTildeInPath)
        try await withClient(options) { client in
            let bar = TransferProgressBar(label: "download")
            for await event in client.downloadAttachment(parsed, to: destination) {
                bar.handler(event)
                if case .failed(let error) = event { throw CLIError("\(error)") }
            }
            if thumbnail, let preview = parsed.thumbnail {
                let previewDescriptor = try AttachmentDescriptor(blobID: preview.blobID, file: preview.file,
                                                                 mediaType: preview.mediaType)
                try await client.mediaTransfers().fetchAttachment(previewDescriptor,
                                                                  to: URL(fileURLWithPath: destination.path + ".thumbnail"))
            }
        }
        printError("saved \(destination.path) (\(parsed.file.plaintextSize) bytes, \(parsed.mediaType), verified)")
    }
}

/// MIME types for common extensions; anything else is `application/octet-stream`.
enum MediaTypeGuess {
    static let byExtension: [String: String] = [
        "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "gif": "image/gif", "webp": "image/webp",
        "heic": "image/heic", "mp4": "video/mp4", "mov": "video/quicktime", "webm": "video/webm", "mkv": "video/x-matroska",
        "mp3": "audio/mpeg", "m4a": "audio/mp4", "ogg": "audio/ogg", "opus": "audio/ogg; codecs=opus", "wav": "audio/wav",
        "pdf": "application/pdf", "txt": "text/plain", "zip": "application/zip",
    ]

    static func mediaType(for url: URL) -> String {
        byExtension[url.pathExtension.lowercased()] ?? "application/octet-stream"
    }
}
