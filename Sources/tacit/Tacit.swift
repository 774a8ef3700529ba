import ArgumentParser

@main
struct Tacit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tacit",
        abstract: "Tacit: a self-hostable end-to-end encrypted messenger.",
        discussion: "Client commands keep the device's state in --home, $TACIT_HOME or ~/.tacit.",
        subcommands: [ServerCommand.self, AccountCommand.self, DeviceCommand.self, ContactsCommand.self,
                      GroupCommand.self, SendCommand.self, ReadCommand.self, ChatCommand.self, DevCommand.self,
                      ConformanceCommand.self, BenchCommand.self, MediaCommand.self])
}
