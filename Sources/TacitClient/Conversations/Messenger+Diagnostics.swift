import TacitMLS

extension Messenger {
    /// Calls `tap` with every MLS message before it is processed (nil: stop). For tests and
    /// diagnostics: the messages are ciphertext, as the server sees them.
    func setMessageTap(_ tap: (@Sendable (MLSMessage) -> Void)?) {
        messageTap = tap
    }

    /// The MLS group of a conversation as this device holds it (kept after a removal, so
    /// tests can show it reads nothing newer).
    func groupState(_ id: ConversationID) -> MLSGroup? {
        groups[id]
    }
}
