import TacitStore

/// That a device authenticated on some node: the node's connection number `sequence`
/// for it. The newest claim of a device (in the order the database delivers
/// notifications) is its one live connection; every node closes older ones it holds.
struct ConnectionClaim: Sendable, Hashable {
    var device: DeviceID
    var sequence: UInt64
}

/// What nodes tell each other over the database's notification channel.
///
/// The database stays the source of truth: a lost message only delays a delivery until
/// the next catch-up, it never loses one.
enum ClusterMessage: Sendable, Equatable {
    /// These devices' queues grew (sent after the enqueue was durable).
    case wake([DeviceID])
    /// These devices connected to the sending node.
    case claim([ConnectionClaim])
    /// These devices were revoked; nodes holding their connections close them.
    case revoke([DeviceID])
}

/// A message and the node that published it.
struct ReceivedClusterMessage: Sendable, Equatable {
    var sender: String
    var message: ClusterMessage
}
