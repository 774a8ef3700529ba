import ArgumentParser
import Foundation
import TacitClient

/// `tacit account ...`: the account this device belongs to.
struct AccountCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "account",
        abstract: "Create and inspect this device's account.",
        subcommands: [Create.self, Show.self, TrustServer.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an account with this device as its first device.")

        @Argument(help: "The username: 3-32 characters of a-z, 0-9, '_' and '.'.") var name: String
        @OptionGroup var server: ServerOption
        @Option(help: "This device's name in the account's device list (default: the host name).")
        var deviceName: String?
        @OptionGroup var options: ClientOptions

        func run() async throws {
            guard let url = try server.url() else { throw ClientError.noServer }
            try await withClient(options, deviceName: deviceName) { client in
                let account = try await client.register(username: name, server: url)
                printLine("created account \(account.username) on \(url); this is device \(account.deviceID)")
                printLine("server key pinned: \(await client.pinnedServerKey?.hex ?? "-")")
                printLine("state kept in \(client.home)")
                // Publish KeyPackages now, so others can add this account before it next runs.
                let messenger = try await Messenger(client: client, logger: options.makeLogger("tacit.messenger"))
                do {
                    try await startMessenger(messenger, options)
                } catch {
                    await messenger.close()
                    throw error
                }
                await messenger.close()
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the account, device and server.")

        @OptionGroup var options: ClientOptions

        func run() async throws {
            try await withClient(options) { client in
                guard let username = await client.username, let deviceID = await client.deviceID else {
                    throw ClientError.notRegistered
                }
                printLine("account:    \(username)")
                printLine("device:     \(deviceID) (\(await client.deviceName))")
                printLine("device key: \(client.deviceKey.hex)")
                printLine("server:     \(await client.server?.description ?? "-")")
                printLine("server key: \(await client.pinnedServerKey?.hex ?? "-")")
                printLine("home:       \(client.home)")
            }
        }
    }

    struct TrustServer: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "trust-server",
            abstract: "Forget the pinned server key and pin the one the server presents now.",
            discussion: "Only do this after the server's operator confirmed the new key out of band.")

        @OptionGroup var options: ClientOptions

        func run() async throws {
            try await withClient(options) { client in
                let old = await client.pinnedServerKey
                try await client.forgetServerKey()
                try await connect(client, options)
                printLine("previous key: \(old?.hex ?? "-")")
                printLine("pinned key:   \(await client.pinnedServerKey?.hex ?? "-")")
            }
        }
    }
}
