import Foundation
import Logging

/// Contacts: requests, answers, removal and blocking. A contact request opens a direct
/// conversation (an MLS group of both accounts' devices) whose first message is the request;
/// accepting commits `contactAccepted` into the group's settings, so every device of both
/// accounts, including ones linked later, learns it. Blocks live only on this account's
/// devices: they drop everything from the blocked account and leave the direct conversation.
extension Messenger {
    /// This account's contacts (and requests, and blocks).
    public func contacts() -> [Contact] {
        contactsByName.values.sorted { $0.username < $1.username }
    }

    /// One contact, if known.
    public func contact(_ username: String) -> Contact? {
        contactsByName[username]
    }

    /// Asks `username` to become a contact; returns the direct conversation.
    @discardableResult
    public func requestContact(_ username: String, note: String = "",
                               inviteToken: String? = nil) async throws(MessengerError) -> ConversationID {
        let peer = username.lowercased()
        guard peer != self.username else { throw .notAllowed("an account cannot be its own contact") }
        if isBlocked(peer) { throw .blocked(peer) }
        if let existing = directConversation(with: peer) { return existing.id }
        let metadata = ConversationMetadata(kind: .direct, createdBy: self.username)
        let id = try createLocalConversation(metadata: metadata, peer: peer)
        let contact = Contact(username: peer, state: .outgoingRequest, profile: contactsByName[peer]?.profile,
                              conversationID: id, updatedAt: Date())
        try save(contact)
        try await addAccounts([self.username, peer], to: id, requireDevices: [peer])
        try await send(.contactRequest(inviteToken: inviteToken, note: note), in: id)
        emit([.contactUpdated(contact)])
        return id
    }

    /// Sends a contact request through an invite link or QR payload.
    @discardableResult
    public func requestContact(invite text: String, note: String = "") async throws(MessengerError) -> ConversationID {
        let invite = try ContactInvite(parsing: text)
        if let server = await client.server, !server.base.contains(invite.server) {
            logger.warning("the invite names another server", metadata: ["invite": "\(invite.server)", "ours": "\(server.base)"])
        }
        return try await requestContact(invite.username, note: note, inviteToken: invite.token)
    }

    /// Makes an invite link for this account. Anyone with it becomes a contact without a
    /// separate approval.
    public func createInvite() async throws(MessengerError) -> ContactInvite {
        let token = randomBytes(16).hexString
        var tokens = try store.sealedValue([String].self, key: "invite-tokens") ?? []
        tokens.append(token)
        try store.setSealedValue(Array(tokens.suffix(100)), key: "invite-tokens")
        let host = await client.server.map { Self.host(of: $0.base) } ?? "localhost"
        return ContactInvite(server: host, username: username, token: token)
    }

    /// Accepts `username`'s contact request: both accounts' devices then share profiles.
    public func acceptContact(_ username: String) async throws(MessengerError) {
        guard let conversation = directConversation(with: username) else { throw .notAllowed("no request from \(username)") }
        try await updateMetadata(conversation.id) { $0.contactAccepted = true }
        if var contact = contactsByName[username] {
            contact.state = .accepted
            contact.updatedAt = Date()
            try save(contact)
            emit([.contactUpdated(contact)])
        }
        // Committing the acceptance also sends this account's profile (see applyCommit).
        try await send(.contactResponse(accepted: true), in: conversation.id)
    }

    /// Declines `username`'s contact request and leaves the direct conversation.
    public func declineContact(_ username: String) async throws(MessengerError) {
        guard let conversation = directConversation(with: username) else { throw .notAllowed("no request from \(username)") }
        try await send(.contactResponse(accepted: false), in: conversation.id)
        try await exclusively { () async throws(MessengerError) in try close(conversation.id, as: .closed) }
        try setContactState(username, .declined)
    }

    /// Removes a contact and leaves the direct conversation with them.
    public func removeContact(_ username: String) async throws(MessengerError) {
        if let conversation = directConversation(with: username) { try await leave(conversation.id) }
        try setContactState(username, .removed)
    }

    /// Blocks an account: this account's devices drop its messages and Welcomes, and leave
    /// the direct conversation with it. The server is not told.
    public func block(_ username: String) async throws(MessengerError) {
        if let conversation = directConversation(with: username) {
            try await exclusively { () async throws(MessengerError) in try close(conversation.id, as: .closed) }
        }
        try setContactState(username, .blocked)
    }

    /// Lifts a block; the account is then no contact (send a new request to become one).
    public func unblock(_ username: String) throws(MessengerError) {
        guard contactsByName[username]?.state == .blocked else { return }
        try setContactState(username, .removed)
    }

    // MARK: Internals

    func isBlocked(_ username: String) -> Bool {
        contactsByName[username]?.state == .blocked
    }

    func isOwnInviteToken(_ token: String) -> Bool {
        ((try? store.sealedValue([String].self, key: "invite-tokens")) ?? nil)?.contains(token) ?? false
    }

    private func setContactState(_ username: String, _ state: Contact.State) throws(MessengerError) {
        var contact = contactsByName[username] ?? Contact(username: username, state: state, profile: nil,
                                                          conversationID: nil, updatedAt: Date())
        contact.state = state
        contact.updatedAt = Date()
        if state == .blocked || state == .removed { contact.profile = nil }
        try save(contact)
        emit([.contactUpdated(contact)])
    }

    private func save(_ contact: Contact) throws(MessengerError) {
        try store.write { db in try store.saveContact(contact, in: db) }
        contactsByName[contact.username] = contact
    }

    /// `host[:port]` of a server base URL.
    static func host(of base: String) -> String {
        guard let components = URLComponents(string: base), let host = components.host else { return base }
        return components.port.map { "\(host):\($0)" } ?? host
    }
}
