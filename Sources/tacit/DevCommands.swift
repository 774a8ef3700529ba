import ArgumentParser
import Foundation
import TacitClient

/// `tacit dev ...`: developer tools below the messenger, hidden from `tacit --help`.
struct DevCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev",
        abstract: "Developer tools: raw transport below end-to-end encryption.",
        shouldDisplay: false,
        subcommands: [RawSendCommand.self, RawReceiveCommand.self])
}

/// `tacit dev send-raw`: bytes to device queues as they are, for transport tests.
struct RawSendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send-raw",
        abstract: "Send a text as is (\(rawTransportNotice)).")

    @Option(name: .customLong("to"), parsing: .upToNextOption,
            help: "Recipients: usernames (all their devices) or device ids.")
    var recipients: [String]
    @Argument(help: "The text.") var text: String
    @OptionGroup var options: ClientOptions

    func validate() throws {
        guard !recipients.isEmpty else { throw ValidationError("name at least one recipient with --to") }
        guard !text.isEmpty else { throw ValidationError("the text is empty") }
    }

    func run() async throws {
        printError(rawTransportNotice)
        try await withClient(options) { client in
            try await connect(client, options)
            let devices = try await resolve(recipients, with: client)
            let receipt = try await client.send(to: devices, body: Array(text.utf8))
            printLine("sent to \(devices.count) device(s), message id \(receipt.clientMessageID)")
        }
    }

    /// Device ids as given; usernames become all their devices except this one.
    private func resolve(_ recipients: [String], with client: TacitClient) async throws -> [DeviceID] {
        let me = await client.deviceID
        var devices: [DeviceID] = []
        for recipient in recipients {
            if let id = DeviceID(recipient) {
                devices.append(id)
            } else {
                devices += try await client.lookup(username: recipient).deviceIDs.filter { $0 != me }
            }
        }
        guard !devices.isEmpty else { throw CLIError("none of the recipients has a device to send to") }
        return devices
    }
}

/// `tacit dev receive-raw`: prints queued deliveries as text and acknowledges them.
/// (It consumes the queue the messenger reads, so use it only on a device kept for tests.)
struct RawReceiveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "receive-raw",
        abstract: "Print messages for this device (\(rawTransportNotice)).")

    @Flag(name: .shortAndLong, help: "Keep waiting for new messages until interrupted.") var follow = false
    @OptionGroup var options: ClientOptions

    func run() async throws {
        printError(rawTransportNotice)
        try await withClient(options) { client in
            try await connect(client, options)
            if follow {
                for await envelope in client.incoming {
                    try await show(envelope, client: client)
                }
            } else {
                let backlog = try await client.waitForBacklog()
                var shown = 0
                if backlog > 0 {
                    for await envelope in client.incoming {
                        try await show(envelope, client: client)
                        shown += 1
                        if shown >= backlog { break }
                    }
                }
                try await client.flushAcknowledgements()
                if shown == 0 { printError("no messages") }
            }
        }
    }

    private func show(_ envelope: IncomingEnvelope, client: TacitClient) async throws {
        let text = String(decoding: envelope.body, as: UTF8.self)
        let time = envelope.serverTime.formatted(date: .omitted, time: .standard)
        printLine("[\(time)] \(envelope.senderUsername) (device \(envelope.senderDeviceID)): \(text)")
        try await client.acknowledge(envelope)
    }
}
