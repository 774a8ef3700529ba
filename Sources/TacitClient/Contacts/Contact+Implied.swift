extension Contact.State {
    /// The state a direct conversation's settings imply for the other account, given what
    /// this device knew before; nil for a blocked account, which stays blocked.
    static func implied(by metadata: ConversationMetadata, ownUsername: String,
                        previous: Contact.State?) -> Contact.State? {
        if previous == .blocked { return nil }
        if metadata.contactAccepted { return .accepted }
        if metadata.createdBy == ownUsername { return .outgoingRequest }
        if previous == .accepted { return .accepted }
        return .incomingRequest
    }
}
