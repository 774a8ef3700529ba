import TacitStore

/// What the other nodes, through ``DeliveryWakeups``, ask of this node's live connections.
enum ClusterEvent: Sendable, Equatable {
    /// These devices' queues grew on another node: re-read them if they are connected here.
    case wake([DeviceID])
    /// A device connected somewhere; `own` when this node published the claim (its
    /// notification came back, so every claim after it is newer).
    case claim(ConnectionClaim, own: Bool)
    /// These devices were revoked on another node.
    case revoke([DeviceID])
    /// The link to the other nodes was (re)established, and what was published meanwhile
    /// may be lost: every local connection re-reads its queue.
    case resynchronize
}

/// How the node that stored a message wakes the node holding the recipient's connection.
///
/// The store is the source of truth; wakeups only say "look again". One node needs none
/// (``LocalWakeups``): the sender's node is the recipient's. Several nodes on PostgreSQL
/// use ``PostgresWakeups`` (LISTEN/NOTIFY). Because a wakeup may be lost, connections also
/// re-read their queues every ``catchUpInterval`` when nothing woke them.
protocol DeliveryWakeups: Sendable {
    /// How often an idle connection re-reads its queue in case a wakeup was lost; `nil`
    /// when wakeups are never lost.
    var catchUpInterval: Duration? { get }

    /// Whether the link to the other nodes is up (always, for one node).
    var isLinked: Bool { get }

    /// Tells the other nodes; never blocks (messages are batched and sent in the background).
    func publish(_ message: ClusterMessage)

    /// Delivers what other nodes publish to `handle`, until the task is cancelled.
    func run(_ handle: @escaping @Sendable (ClusterEvent) -> Void) async
}

/// One node: the local nudge already reached every connection, so there is nothing to tell.
struct LocalWakeups: DeliveryWakeups {
    var catchUpInterval: Duration? { nil }
    var isLinked: Bool { true }

    func publish(_ message: ClusterMessage) {}

    func run(_ handle: @escaping @Sendable (ClusterEvent) -> Void) async {
        // Nothing arrives; wait for cancellation.
        while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
    }
}
