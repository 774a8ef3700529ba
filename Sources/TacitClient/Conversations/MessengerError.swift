import TacitMLS

/// Everything that can go wrong in ``Messenger``.
public enum MessengerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The client (connection, server, directory) failed.
    case client(ClientError)
    /// The local store failed, or its key does not match.
    case store(String)
    /// No conversation with this id on this device.
    case unknownConversation(ConversationID)
    /// This device is no longer a member (left, removed, or the conversation was closed).
    case notAMember(ConversationID)
    /// No message with this id in the conversation.
    case unknownMessage(MessageID)
    /// The change is not allowed (someone else's message, recall window passed, ...).
    case notAllowed(String)
    /// An account has no device that can be added (no KeyPackages published).
    case noDevices(String)
    /// The account is blocked on this device.
    case blocked(String)
    /// The invite link or QR payload cannot be used.
    case invalidInvite(String)
    /// Other members kept committing first; the change was not made.
    case gaveUpAfterConflicts(ConversationID)
    /// The MLS group refused the operation.
    case mls(MLSGroupError)
    /// Message content did not encode or decode.
    case content(ContentError)
    /// ``Messenger/start()`` has not been called, or ``Messenger/close()`` was.
    case notStarted
    /// An attachment upload or download failed.
    case media(MediaError)

    public var description: String {
        switch self {
        case .client(let error): error.description
        case .store(let why): "local store: \(why)"
        case .unknownConversation(let id): "no conversation \(id.shortDescription) on this device"
        case .notAMember(let id): "this device is no longer a member of conversation \(id.shortDescription)"
        case .unknownMessage(let id): "no message \(id) in this conversation"
        case .notAllowed(let why): "not allowed: \(why)"
        case .noDevices(let username): "'\(username)' has no device that can be added right now (no KeyPackages)"
        case .blocked(let username): "'\(username)' is blocked on this device"
        case .invalidInvite(let why): "invalid invite: \(why)"
        case .gaveUpAfterConflicts(let id): "other members kept changing conversation \(id.shortDescription); try again"
        case .mls(let error): "MLS: \(error)"
        case .content(let error): error.description
        case .notStarted: "the messenger is not running: call start() first"
        case .media(let error): error.description
        }
    }
}
