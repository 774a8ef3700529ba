import ArgumentParser

@main
struct Tacit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tacit",
        abstract: "Tacit: a self-hostable end-to-end encrypted messenger.",
        discussion: "Client commands keep the device's state in --home, $TACIT_HOME or ~/.tacit.",
        subcommands: [ServerCommand.self, AccountCommand.self, DeviceCommand.self, SendCommand.self,
                      ReceiveCommand.self, ConformanceCommand.self])
}
