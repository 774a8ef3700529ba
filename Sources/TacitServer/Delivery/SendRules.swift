import TacitStore
import TacitWire

/// A send that passed every check the server makes before storing it.
struct ValidatedSend: Sendable, Equatable {
    var clientMessageID: [UInt8]
    /// The recipients without repetitions, in the order given.
    var recipients: [DeviceID]
    var body: [UInt8]
}

/// What a ``WireSendRequest`` must satisfy: a 16-byte client message id, between one and
/// `maxRecipients` recipients, and a non-empty body of at most `maxBodyBytes`.
struct SendRules: Sendable {
    static let clientMessageIDLength = 16

    var maxBodyBytes: Int
    var maxRecipients: Int

    func validate(_ request: WireSendRequest) throws(RequestFailure) -> ValidatedSend {
        guard request.body.count <= maxBodyBytes else {
            throw .tooLarge("the message body has \(request.body.count) bytes; this server accepts at most "
                                + "\(maxBodyBytes) bytes per message (send large content as an attachment)")
        }
        guard !request.body.isEmpty else {
            throw .badRequest("the message body is empty")
        }
        guard request.clientMessageID.count == Self.clientMessageIDLength else {
            throw .badRequest("client_message_id has \(Self.clientMessageIDLength) bytes, "
                                  + "not \(request.clientMessageID.count)")
        }
        guard !request.recipientDeviceIds.isEmpty else {
            throw .badRequest("a message needs at least one recipient device")
        }
        guard request.recipientDeviceIds.count <= maxRecipients else {
            throw .tooLarge("a message may address at most \(maxRecipients) devices, "
                                + "not \(request.recipientDeviceIds.count)")
        }
        var seen = Set<DeviceID>()
        let recipients = request.recipientDeviceIds.filter { seen.insert($0).inserted }
        return ValidatedSend(clientMessageID: Array(request.clientMessageID), recipients: recipients,
                             body: Array(request.body))
    }
}
