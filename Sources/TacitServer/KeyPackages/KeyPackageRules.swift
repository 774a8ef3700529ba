import Foundation
import TacitMLS
import TacitStore
import TacitWire

/// What a KeyPackage must satisfy before the directory stores it (see `proto/tacit.proto`).
///
/// A package is the bare TLS encoding of an MLS `KeyPackage` (RFC 9420, Section 10). It
/// must pass Section 10.1 validation for its own cipher suite (leaf node, lifetime, both
/// signatures), its leaf's signature key must be the publishing device's identity key, and
/// its BasicCredential must name that device: the identity is the canonical serialization
/// of `MemberIdentity { username, device_id }`. So a package handed out by the directory
/// always speaks for the device it is filed under.
struct KeyPackageRules: Sendable {
    /// The largest package accepted, in bytes.
    static let maxPackageBytes = 4096
    /// The most one-time packages one publish may carry.
    static let maxPerPublish = 200
    /// The most one-time packages a device may have stored.
    static let maxStoredPerDevice = 500
    /// The most devices one claim may name.
    static let maxDevicesPerClaim = 1000

    let device: AuthenticatedDevice

    /// Checks a whole publish; any bad package refuses all of it.
    func validate(_ request: WirePublishKeyPackagesRequest,
                  now: Date) throws(RequestFailure) -> (oneTime: [[UInt8]], lastResort: [UInt8]?) {
        guard request.keyPackages.count <= Self.maxPerPublish else {
            throw .tooLarge("publish at most \(Self.maxPerPublish) KeyPackages at once, not \(request.keyPackages.count)")
        }
        var oneTime: [[UInt8]] = []
        oneTime.reserveCapacity(request.keyPackages.count)
        for (index, package) in request.keyPackages.enumerated() {
            oneTime.append(try validate(Array(package), named: "KeyPackage \(index)", now: now))
        }
        var lastResort: [UInt8]?
        if !request.lastResort.isEmpty {
            lastResort = try validate(Array(request.lastResort), named: "the last-resort KeyPackage", now: now)
        }
        return (oneTime, lastResort)
    }

    /// Checks one package; `name` says which in the error.
    func validate(_ bytes: [UInt8], named name: String, now: Date) throws(RequestFailure) -> [UInt8] {
        guard bytes.count <= Self.maxPackageBytes else {
            throw .tooLarge("\(name) has \(bytes.count) bytes; at most \(Self.maxPackageBytes) are accepted")
        }
        let package: KeyPackage
        do {
            package = try KeyPackage(mlsEncoded: bytes)
        } catch {
            throw .badRequest("\(name) is not a TLS-encoded MLS KeyPackage")
        }
        let suite: any CipherSuite
        do {
            suite = try package.cipherSuite.suite()
        } catch {
            throw .badRequest("\(name) uses cipher suite \(package.cipherSuite), which this server does not know")
        }
        do {
            try package.validate(suite: suite, currentTime: UInt64(max(0, now.timeIntervalSince1970)))
        } catch {
            throw .badRequest("\(name) is invalid: \(error)")
        }
        guard package.leafNode.signatureKey == device.identityKey else {
            throw .badRequest("\(name) is signed with another key than this device's identity key")
        }
        guard case .basic(let identity) = package.leafNode.credential,
              identity == MemberIdentityCoding.identity(username: device.username, deviceID: device.id)
        else {
            throw .badRequest("\(name)'s credential is not the BasicCredential of this device "
                                  + "(MemberIdentity with its username and device id)")
        }
        return bytes
    }
}

/// The canonical `MemberIdentity` bytes of a device, as BasicCredentials carry them.
enum MemberIdentityCoding {
    static func identity(username: String, deviceID: DeviceID) -> [UInt8] {
        var identity = WireMemberIdentity()
        identity.username = username
        identity.deviceID = deviceID
        return WireCoding.encode(identity)
    }
}
