import ArgumentParser
import Foundation
import TacitClient

/// Runs `body` with this device's messenger: opens the client, starts the messenger
/// (connects, publishes KeyPackages), processes the backlog, and closes both afterwards,
/// also on errors. Every chat command goes through here, so each one acts on an
/// up-to-date view of its conversations.
func withMessenger<T>(_ options: ClientOptions, synchronize: Bool = true,
                      _ body: (Messenger) async throws -> T) async throws -> T {
    try await withClient(options) { client in
        guard await client.username != nil else { throw ClientError.notRegistered }
        let messenger = try await Messenger(client: client, logger: options.makeLogger("tacit.messenger"))
        do {
            try await startMessenger(messenger, options)
            if synchronize { try await messenger.synchronize() }
            let result = try await body(messenger)
            await messenger.close()
            return result
        } catch {
            await messenger.close()
            throw error
        }
    }
}

/// Starts `messenger`, giving up after `options.connectTimeout` seconds with the reason the
/// last connection attempt failed.
func startMessenger(_ messenger: Messenger, _ options: ClientOptions) async throws {
    let client = messenger.client
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await messenger.start() }
        group.addTask {
            try await Task.sleep(for: .seconds(options.connectTimeout))
            let reason = await client.lastConnectionError.map { " (\($0))" } ?? ""
            let server = await client.server?.description ?? "the server"
            throw CLIError("cannot reach \(server) within \(Int(options.connectTimeout)) s\(reason); is it running?")
        }
        defer { group.cancelAll() }
        try await group.next()
    }
}

/// Finds the conversation a command names: a conversation id (or a unique prefix of at
/// least 4 hex digits), a group name, or a username for the direct conversation with them.
/// `@name` names a user only, `#name` a group only.
func findConversation(_ name: String, in messenger: Messenger, includeInactive: Bool = false) async throws -> Conversation? {
    let all = await messenger.conversations().filter { includeInactive || $0.status == .active }
    if name.hasPrefix("@") {
        return await messenger.directConversation(with: String(name.dropFirst()).lowercased())
    }
    let groupOnly = name.hasPrefix("#")
    let key = groupOnly ? String(name.dropFirst()) : name
    let hex = key.lowercased()
    if hex.count >= 4, hex.allSatisfy(\.isHexDigit) {
        let matches = all.filter { $0.id.description.hasPrefix(hex) }
        if matches.count == 1 { return matches[0] }
        if matches.count > 1 { throw CLIError("'\(key)' matches \(matches.count) conversations; give more of the id") }
    }
    let groups = all.filter { !$0.isDirect && $0.metadata.name.caseInsensitiveCompare(key) == .orderedSame }
    if groups.count == 1 { return groups[0] }
    if groups.count > 1 {
        let ids = groups.map(\.id.shortDescription).joined(separator: ", ")
        throw CLIError("several groups are named '\(key)' (\(ids)); name one by its id")
    }
    if groupOnly { return nil }
    return await messenger.directConversation(with: key.lowercased())
}

/// Like ``findConversation(_:in:includeInactive:)`` for commands that need a group.
func requireGroup(_ name: String, in messenger: Messenger) async throws -> Conversation {
    guard let conversation = try await findConversation(name, in: messenger), !conversation.isDirect else {
        throw CLIError("no group '\(name)' on this device (see `tacit group list`)")
    }
    return conversation
}

/// Usernames as typed: lower-cased, without a leading `@`.
func usernames(_ names: [String]) -> [String] {
    names.map { ($0.hasPrefix("@") ? String($0.dropFirst()) : $0).lowercased() }
}

/// A JSON encoder for one-object-per-line output: sorted keys, ISO 8601 dates.
func lineEncoder() -> JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .custom { date, encoder in
        var container = encoder.singleValueContainer()
        try container.encode(isoTimestamp(date))
    }
    return encoder
}

/// `2026-12-01T22:47:47.123Z`.
func isoTimestamp(_ date: Date) -> String {
    date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
}

/// Prints `value` as one line of JSON.
func printJSONLine(_ value: some Encodable) throws {
    let data = try lineEncoder().encode(value)
    printLine(String(decoding: data, as: UTF8.self))
}
