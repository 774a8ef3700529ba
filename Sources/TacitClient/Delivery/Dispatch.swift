/// A body for other recipients, stored atomically with a send (for example the Welcome
/// for the devices a commit adds).
///
/// Its recipients must not overlap the send's own recipients or another dispatch's. The
/// recipients receive it under the send's client message id.
public struct Dispatch: Sendable, Equatable {
    /// The devices that receive ``body``.
    public var recipients: [DeviceID]
    /// The body, opaque to the server; not empty.
    public var body: [UInt8]

    /// A dispatch of `body` to `recipients`.
    public init(recipients: [DeviceID], body: [UInt8]) {
        self.recipients = recipients
        self.body = body
    }
}
