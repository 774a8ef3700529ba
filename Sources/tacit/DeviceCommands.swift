import ArgumentParser
import Foundation
import TacitClient

/// `tacit device ...`: the devices of this account.
struct DeviceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "device",
        abstract: "Link, list and revoke devices.",
        subcommands: [LinkCode.self, Link.self, List.self, Revoke.self])

    struct LinkCode: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "link-code",
            abstract: "Show a one-time code for a new device, and approve it when the device uses it.")

        @OptionGroup var options: ClientOptions

        func run() async throws {
            try await withClient(options) { client in
                try await connect(client, options)
                let code = try await client.createLinkCode()
                printLine("link code: \(code.code)")
                printLine("On the new device run: tacit device link \(code.code) --server \(await client.server?.description ?? "URL")")
                printLine("Waiting for it (the code expires \(code.expires.formatted(date: .omitted, time: .standard)))...")
                let device = try await client.waitForLink(code)
                printLine("approved device \(device.id) (\(device.name)), key \(device.identityKey.hex)")
            }
        }
    }

    struct Link: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Join an account with a code shown by `tacit device link-code` on one of its devices.")

        @Argument(help: "The link code, e.g. 7KQM-X3FD-9TZA.") var code: String
        @OptionGroup var server: ServerOption
        @Option(help: "This device's name in the account's device list (default: the host name).")
        var deviceName: String?
        @OptionGroup var options: ClientOptions

        func run() async throws {
            let url = try server.url()
            try await withClient(options, deviceName: deviceName) { client in
                printLine("waiting for the other device to approve...")
                let account = try await client.link(code: code, server: url)
                printLine("linked: this is device \(account.deviceID) of \(account.username)")
                printLine("server key pinned: \(await client.pinnedServerKey?.hex ?? "-")")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List this account's devices (verified).")

        @OptionGroup var options: ClientOptions

        func run() async throws {
            try await withClient(options) { client in
                try await connect(client, options)
                let account = try await client.devices()
                let me = await client.deviceID
                printLine("\(account.username): \(account.devices.count) device(s), device list version \(account.version)")
                for device in account.devices {
                    let marker = device.id == me ? "  (this device)" : ""
                    let created = device.created.formatted(date: .abbreviated, time: .shortened)
                    printLine("  \(device.id)\t\(device.name)\tcreated \(created)\tkey \(device.identityKey.prefix(8).hex)…\(marker)")
                }
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a device from this account.")

        @Argument(help: "The device id, as `tacit device list` shows it.") var id: UInt64
        @OptionGroup var options: ClientOptions

        func run() async throws {
            try await withClient(options) { client in
                try await connect(client, options)
                try await client.revoke(deviceID: id)
                printLine("revoked device \(id)")
            }
        }
    }
}
