import Foundation
import SwiftProtobuf
import TacitMLS
import TacitWire

/// A conversation's shared settings, kept inside the MLS group as a GroupContext extension
/// (so the server never sees them, and members added later learn them from their Welcome).
public struct ConversationMetadata: Sendable, Equatable, Codable {
    /// A direct conversation (two accounts, opened by a contact request) or a group.
    public enum Kind: String, Sendable, Codable {
        case direct
        case group
    }

    public var kind: Kind
    /// The group's name (empty for direct conversations).
    public var name: String
    /// An attachment reference (or URL) for the group's avatar.
    public var avatar: String?
    /// Messages are deleted locally this long after they were sent; nil: never.
    public var disappearingAfter: Duration?
    /// The account that created the conversation.
    public var createdBy: String
    /// Direct conversations: whether the other account accepted the contact request.
    public var contactAccepted: Bool

    public init(kind: Kind, name: String = "", avatar: String? = nil, disappearingAfter: Duration? = nil,
                createdBy: String, contactAccepted: Bool = false) {
        self.kind = kind
        self.name = name
        self.avatar = avatar
        self.disappearingAfter = disappearingAfter
        self.createdBy = createdBy
        self.contactAccepted = contactAccepted
    }

    /// Tacit's GroupContext extension type (from the private-use range, RFC 9420 Section 17.3).
    static let extensionType = ExtensionType(rawValue: 0xF7A0)

    /// The GroupContext extension carrying these settings.
    var groupContextExtension: Extension {
        var proto = ContentGroupMetadata()
        proto.kind = kind == .direct ? .direct : .group
        proto.name = name
        proto.avatar = avatar ?? ""
        proto.disappearingSeconds = UInt32(clamping: disappearingAfter.map { $0.components.seconds } ?? 0)
        proto.createdBy = createdBy
        proto.contactAccepted = contactAccepted
        return Extension(type: Self.extensionType, data: (try? proto.serializedBytes()) ?? [])
    }

    /// Reads the settings from a group's GroupContext extensions; nil when absent or malformed.
    init?(extensions: [Extension]) {
        guard let ext = extensions.first(ofType: Self.extensionType),
              let proto = try? ContentGroupMetadata(serializedBytes: ext.data),
              proto.name.utf8.count <= 1024, proto.avatar.utf8.count <= 4096 else { return nil }
        self.init(kind: proto.kind == .direct ? .direct : .group, name: proto.name,
                  avatar: proto.avatar.isEmpty ? nil : proto.avatar,
                  disappearingAfter: proto.disappearingSeconds == 0 ? nil : .seconds(Int64(proto.disappearingSeconds)),
                  createdBy: proto.createdBy, contactAccepted: proto.contactAccepted)
    }

    /// `extensions` with these settings in place of any earlier ones.
    func replacing(in extensions: [Extension]) -> [Extension] {
        extensions.filter { $0.type != Self.extensionType } + [groupContextExtension]
    }
}
