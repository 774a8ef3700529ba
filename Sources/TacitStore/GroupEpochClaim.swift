/// A claim to advance an MLS group by one epoch, checked with the enqueue that carries it.
///
/// The store knows a group only as `groupID` with its current epoch, a hash of the
/// current epoch token and when they changed; it never learns who the members are.
/// The claim is checked in the transaction that stores its message (see
/// ``TacitStore/enqueue(_:)``):
/// - an unknown group is accepted only at epoch 0, which creates its record
///   (else ``StoreError/unknownGroup``);
/// - a known group's stored epoch must equal ``epoch`` (else
///   ``StoreError/staleEpoch(current:)``) and its stored token hash must equal
///   ``tokenHash`` (else ``StoreError/epochTokenMismatch``);
/// - on success the group moves to `epoch + 1` with ``nextTokenHash``.
public struct GroupEpochClaim: Sendable, Equatable {
    /// The group's opaque id.
    public var groupID: [UInt8]
    /// The epoch the claimed commit was made in.
    public var epoch: UInt64
    /// The hash of the epoch's token as the sender presented it (the server hashes the
    /// token; the store only compares hashes). Ignored when the claim creates the group.
    public var tokenHash: [UInt8]
    /// The hash of the next epoch's token, stored once the claim wins.
    public var nextTokenHash: [UInt8]

    public init(groupID: [UInt8], epoch: UInt64, tokenHash: [UInt8], nextTokenHash: [UInt8]) {
        self.groupID = groupID
        self.epoch = epoch
        self.tokenHash = tokenHash
        self.nextTokenHash = nextTokenHash
    }

    /// The epoch the group moves to when the claim wins; `nil` at the end of the range.
    public var nextEpoch: UInt64? {
        let (next, overflow) = epoch.addingReportingOverflow(1)
        return overflow ? nil : next
    }
}

/// One more body of an ``OutgoingMessage``, for recipients of its own (such as the
/// Welcome for the members a commit adds), stored atomically with the message.
public struct MessageDispatch: Sendable, Equatable {
    public var recipients: [DeviceID]
    public var body: [UInt8]

    public init(recipients: [DeviceID], body: [UInt8]) {
        self.recipients = recipients
        self.body = body
    }
}

extension OutgoingMessage {
    /// Every body with its recipients: the main one (part 0), then each dispatch in order.
    var parts: [MessageDispatch] {
        [MessageDispatch(recipients: recipients, body: body)] + additional
    }

    /// Whether the message needs more than the plain enqueue: an epoch claim or dispatches.
    var isComposite: Bool {
        epochClaim != nil || !additional.isEmpty
    }

    /// Checks what the store itself relies on: recipient sets of the parts are disjoint
    /// (so each recipient gets one entry), and a claim can move to a next epoch.
    func checkParts() throws(StoreError) {
        if let epochClaim, epochClaim.nextEpoch == nil {
            throw .invalidRequest("epoch \(epochClaim.epoch) has no next epoch")
        }
        guard !additional.isEmpty else { return }
        var seen = Set<DeviceID>()
        for part in parts {
            for recipient in Set(part.recipients) where !seen.insert(recipient).inserted {
                throw .invalidRequest("device \(recipient) is a recipient of two parts of one message")
            }
        }
    }
}
