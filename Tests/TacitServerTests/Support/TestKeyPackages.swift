import Crypto
import Foundation
import TacitMLS
import TacitWire

/// MLS KeyPackages as a Tacit device makes them: its identity key as the leaf's signature
/// key, and its `MemberIdentity` as the BasicCredential.
enum TestKeyPackages {
    static let suite = CipherSuiteID.mls128X25519AES128GCMSHA256Ed25519

    static func memberIdentity(username: String, deviceID: UInt64) -> [UInt8] {
        var identity = WireMemberIdentity()
        identity.username = username
        identity.deviceID = deviceID
        return WireCoding.encode(identity)
    }

    /// A valid package for `device` (or, to test refusals, one claiming another identity).
    static func make(for device: TestDevice, username: String, deviceID: UInt64,
                     credential: [UInt8]? = nil) throws -> [UInt8] {
        let keys = SignatureKeyPair(privateKey: Array(device.key.rawRepresentation), publicKey: device.publicKey)
        let identity = MLSSigningIdentity(
            credential: .basic(identity: credential ?? memberIdentity(username: username, deviceID: deviceID)),
            signatureKeyPair: keys)
        return try KeyPackageBundle.create(suite: suite, identity: identity).keyPackage.mlsEncoded
    }

    static func publish(_ packages: [[UInt8]], lastResort: [UInt8]? = nil) -> WireClientFrame.OneOf_Body {
        var request = WirePublishKeyPackagesRequest()
        request.keyPackages = packages.map { Data($0) }
        request.lastResort = Data(lastResort ?? [])
        return .publishKeyPackages(request)
    }

    static func claim(_ devices: [UInt64]) -> WireClientFrame.OneOf_Body {
        var request = WireClaimKeyPackagesRequest()
        request.deviceIds = devices
        return .claimKeyPackages(request)
    }

    static var stock: WireClientFrame.OneOf_Body { .keyPackageStock(WireKeyPackageStockRequest()) }
}

extension WireClientFrame.OneOf_Body {
    /// A commit-style send claiming `epoch` of `group` with `token`, moving it to `nextToken`.
    static func commit(to recipients: [UInt64], group: [UInt8], epoch: UInt64, token: [UInt8], nextToken: [UInt8],
                       additional: [(recipients: [UInt64], body: [UInt8])] = [],
                       body: [UInt8] = Array("commit".utf8), id: [UInt8] = randomMessageID()) -> Self {
        var send = WireSendRequest()
        send.clientMessageID = Data(id)
        send.recipientDeviceIds = recipients
        send.body = Data(body)
        var claim = WireEpochClaim()
        claim.groupID = Data(group)
        claim.epoch = epoch
        claim.epochToken = Data(token)
        claim.nextTokenHash = Data(EpochTokens.hash(nextToken))
        send.epochClaim = claim
        send.additional = additional.map { part in
            var dispatch = WireDispatch()
            dispatch.recipientDeviceIds = part.recipients
            dispatch.body = Data(part.body)
            return dispatch
        }
        return .send(send)
    }
}
