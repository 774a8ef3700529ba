import Foundation

/// The pure rules for what later messages do to a stored one: who may edit or recall it,
/// within which window, and how reactions and receipts accumulate. Each returns the new
/// message, or nil when the change is refused (and the message stays as it was).
extension ChatMessage {
    /// The text replaced by its sender; refused from anyone else or after a recall.
    func edited(text: String, mentions: [String], by sender: String, at time: Date) -> ChatMessage? {
        guard sender == self.sender, !isRecalled else { return nil }
        var message = self
        message.text = text
        message.mentions = mentions
        message.editedAt = time
        return message
    }

    /// Recalled by its sender at `time`, if that is within `window` of the original's server time.
    func recalled(by sender: String, at time: Date, window: Duration) -> ChatMessage? {
        guard sender == self.sender, !isRecalled else { return nil }
        guard time.timeIntervalSince(serverTime) <= window.seconds else { return nil }
        var message = self
        message.isRecalled = true
        message.text = ""
        message.mentions = []
        message.replyTo = nil
        message.reactions = [:]
        message.attachment = nil
        return message
    }

    /// With `sender`'s reaction `emoji` added or removed; nil when nothing changes.
    func reacting(_ emoji: String, by sender: String, remove: Bool) -> ChatMessage? {
        guard !isRecalled, !emoji.isEmpty else { return nil }
        var message = self
        var accounts = message.reactions[emoji] ?? []
        if remove {
            guard let index = accounts.firstIndex(of: sender) else { return nil }
            accounts.remove(at: index)
        } else {
            guard !accounts.contains(sender) else { return nil }
            accounts.append(sender)
        }
        message.reactions[emoji] = accounts.isEmpty ? nil : accounts
        return message
    }

    /// An outgoing message after a receipt from another account; nil when nothing changes.
    func receipted(_ kind: ReceiptKind, by account: String) -> ChatMessage? {
        guard isOutgoing, account != sender else { return nil }
        var message = self
        switch kind {
        case .delivered:
            guard message.status < .delivered, message.status != .failed else { return nil }
            message.status = .delivered
        case .read:
            guard !message.readBy.contains(account) else { return nil }
            message.readBy.append(account)
            if message.status != .failed { message.status = .read }
        }
        return message
    }
}
