import Crypto
import TacitStore
import TacitWire

/// A send that passed every check the server makes before storing it.
struct ValidatedSend: Sendable, Equatable {
    var clientMessageID: [UInt8]
    /// The recipients without repetitions, in the order given.
    var recipients: [DeviceID]
    var body: [UInt8]
    /// The epoch claim with the token already hashed (the store compares hashes only).
    var epochClaim: GroupEpochClaim?
    /// Dispatches, each with its recipients without repetitions.
    var additional: [MessageDispatch]

    /// Every recipient device of every part.
    var allRecipients: [DeviceID] { recipients + additional.flatMap(\.recipients) }
}

/// What a ``WireSendRequest`` must satisfy: a 16-byte client message id, between one and
/// `maxRecipients` recipients (counting every dispatch's), non-empty bodies of at most
/// `maxBodyBytes` together, pairwise disjoint recipient sets, and a well-formed epoch claim.
struct SendRules: Sendable {
    static let clientMessageIDLength = 16
    static let maxGroupIDLength = 255
    static let tokenHashLength = SHA256.byteCount

    var maxBodyBytes: Int
    var maxRecipients: Int

    func validate(_ request: WireSendRequest) throws(RequestFailure) -> ValidatedSend {
        let totalBytes = request.additional.reduce(request.body.count) { $0 + $1.body.count }
        guard totalBytes <= maxBodyBytes else {
            throw .tooLarge("the message has \(totalBytes) bytes of bodies; this server accepts at most "
                                + "\(maxBodyBytes) bytes per send (send large content as an attachment)")
        }
        guard !request.body.isEmpty, request.additional.allSatisfy({ !$0.body.isEmpty }) else {
            throw .badRequest("a message body is empty")
        }
        guard request.clientMessageID.count == Self.clientMessageIDLength else {
            throw .badRequest("client_message_id has \(Self.clientMessageIDLength) bytes, "
                                  + "not \(request.clientMessageID.count)")
        }
        guard !request.recipientDeviceIds.isEmpty, request.additional.allSatisfy({ !$0.recipientDeviceIds.isEmpty })
        else {
            throw .badRequest("a message and each dispatch need at least one recipient device")
        }
        let recipientCount = request.additional.reduce(request.recipientDeviceIds.count) {
            $0 + $1.recipientDeviceIds.count
        }
        guard recipientCount <= maxRecipients else {
            throw .tooLarge("a message may address at most \(maxRecipients) devices, not \(recipientCount)")
        }
        let recipients = Self.unique(request.recipientDeviceIds)
        let additional = request.additional.map {
            MessageDispatch(recipients: Self.unique($0.recipientDeviceIds), body: Array($0.body))
        }
        var seen = Set(recipients)
        for dispatch in additional {
            for recipient in dispatch.recipients where !seen.insert(recipient).inserted {
                throw .badRequest("device \(recipient) is a recipient of two parts of the message; "
                                      + "the recipient sets of the body and the dispatches must be disjoint")
            }
        }
        let epochClaim = try request.hasEpochClaim ? Self.validate(request.epochClaim) : nil
        return ValidatedSend(clientMessageID: Array(request.clientMessageID), recipients: recipients,
                             body: Array(request.body), epochClaim: epochClaim, additional: additional)
    }

    static func validate(_ claim: WireEpochClaim) throws(RequestFailure) -> GroupEpochClaim {
        guard (1...maxGroupIDLength).contains(claim.groupID.count) else {
            throw .badRequest("an epoch claim's group_id has 1 to \(maxGroupIDLength) bytes, not \(claim.groupID.count)")
        }
        guard claim.nextTokenHash.count == tokenHashLength else {
            throw .badRequest("an epoch claim's next_token_hash is a SHA-256 hash of \(tokenHashLength) bytes, "
                                  + "not \(claim.nextTokenHash.count)")
        }
        guard claim.epoch < UInt64.max else {
            throw .badRequest("epoch \(claim.epoch) has no next epoch")
        }
        return GroupEpochClaim(groupID: Array(claim.groupID), epoch: claim.epoch,
                               tokenHash: Array(SHA256.hash(data: claim.epochToken)),
                               nextTokenHash: Array(claim.nextTokenHash))
    }

    private static func unique(_ ids: [DeviceID]) -> [DeviceID] {
        var seen = Set<DeviceID>()
        return ids.filter { seen.insert($0).inserted }
    }
}
