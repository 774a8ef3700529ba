import Crypto
import Foundation
import TacitMLS
import TacitServer
import Testing
@testable import TacitClient

/// The SDK's low-level delivery-service calls against a real in-process server.
@Suite struct DeliveryServiceTests {
    /// A KeyPackage as the conversation layer makes it: the device key signs, the
    /// credential is the device's MemberIdentity.
    static func keyPackage(for client: TacitClient) async throws -> [UInt8] {
        let username = try #require(await client.username)
        let deviceID = try #require(await client.deviceID)
        let keys = SignatureKeyPair(privateKey: Array(await client.identity.privateKeyBytes), publicKey: client.deviceKey)
        let identity = MLSSigningIdentity(
            credential: .basic(identity: TacitClient.memberIdentity(username: username, deviceID: deviceID)),
            signatureKeyPair: keys)
        return try KeyPackageBundle.create(suite: .mls128X25519AES128GCMSHA256Ed25519, identity: identity)
            .keyPackage.mlsEncoded
    }

    @Test func memberIdentitiesRoundTripAndOnlyCanonicalOnesParse() throws {
        let bytes = TacitClient.memberIdentity(username: "alice", deviceID: 42)
        let parsed = try #require(TacitClient.parseMemberIdentity(bytes))
        #expect(parsed.username == "alice" && parsed.deviceID == 42)
        #expect(TacitClient.parseMemberIdentity(bytes + [0x10, 0x01]) == nil)
        #expect(TacitClient.parseMemberIdentity([0xFF, 0xFF]) == nil)
        #expect(TacitClient.parseMemberIdentity(TacitClient.memberIdentity(username: "", deviceID: 7)) == nil)
    }

    @Test func publishClaimAndTheLowStockNotice() async throws {
        let server = try await InProcessServer.start { $0.keyPackageLowStock = 2 }
        let alice = try await makeAccount("alice", on: server)
        let bob = try await makeAccount("bob", on: server)
        let aliceID = try #require(await alice.deviceID)
        var packages: [[UInt8]] = []
        for _ in 0..<2 { packages.append(try await Self.keyPackage(for: alice)) }
        let lastResort = try await Self.keyPackage(for: alice)

        let stock = try await alice.publishKeyPackages(packages, lastResort: lastResort)
        #expect(stock == KeyPackageStock(oneTime: 2, hasLastResort: true))
        #expect(try await alice.keyPackageStock() == stock)

        let claimed = try await bob.claimKeyPackages(for: [aliceID, try #require(await bob.deviceID)])
        #expect(claimed == [ClaimedKeyPackage(deviceID: aliceID, keyPackage: packages[0], isLastResort: false)])
        let notice = try await withTimeout(5, "the KeyPackagesLow notice") {
            for await notice in alice.notices { return notice }
            throw TimedOut(what: "a notice before the stream ended")
        }
        #expect(notice == .keyPackagesLow(stock: 1))
        _ = try await bob.claimKeyPackages(for: [aliceID])
        #expect(try await bob.claimKeyPackages(for: [aliceID])
                    == [ClaimedKeyPackage(deviceID: aliceID, keyPackage: lastResort, isLastResort: true)])

        // A package of another device is refused.
        let bobsPackage = try await Self.keyPackage(for: bob)
        await #expect(throws: ClientError.self) { try await alice.publishKeyPackages([bobsPackage], lastResort: nil) }
        await alice.close()
        await bob.close()
        await server.stop()
    }

    /// The code of the server error `body` throws.
    static func serverError(_ body: () async throws -> SendReceipt) async throws -> ServerError.Code? {
        do {
            _ = try await body()
            Issue.record("the send was accepted")
            return nil
        } catch {
            guard let clientError = error as? ClientError, case .server(let serverError) = clientError else { throw error }
            #expect(!serverError.retryable)
            return serverError.code
        }
    }

    @Test func aStaleCommitIsThrownAtOnceWithTheCurrentEpoch() async throws {
        let server = try await InProcessServer.start()
        let alice = try await makeAccount("alice", on: server)
        let bob = try await makeAccount("bob", on: server)
        let aliceID = try #require(await alice.deviceID)
        let bobID = try #require(await bob.deviceID)
        let group = Array("group-\(UUID())".utf8)
        func claim(_ epoch: UInt64, token: [UInt8]? = nil) -> EpochClaim {
            EpochClaim(groupID: group, epoch: epoch, epochToken: token ?? Array("t\(epoch)".utf8),
                       nextTokenHash: Array(SHA256.hash(data: Array("t\(epoch + 1)".utf8))))
        }

        let created = try await alice.send(to: [bobID], body: [1], epochClaim: claim(0))
        #expect(!created.duplicate)
        let retried = try await alice.send(to: [bobID], body: [1], clientMessageID: created.clientMessageID,
                                           epochClaim: claim(0))
        #expect(retried.duplicate)
        try await bob.send(to: [aliceID], body: [2], epochClaim: claim(1))

        // Both refusals are thrown at once (no retries), with what the caller needs to know.
        #expect(try await Self.serverError { try await alice.send(to: [bobID], body: [3], epochClaim: claim(1)) }
                    == ServerError.Code.staleEpoch(current: 2))
        #expect(try await Self.serverError {
            try await alice.send(to: [bobID], body: [4], epochClaim: claim(2, token: Array("wrong".utf8)))
        } == ServerError.Code.forbidden)
        // Dispatches arrive under the commit's id.
        let carol = try await makeAccount("carol", on: server)
        let carolID = try #require(await carol.deviceID)
        let inbox = Inbox(carol)
        let receipt = try await alice.send(to: [bobID], body: [5], epochClaim: claim(2),
                                           additional: [Dispatch(recipients: [carolID], body: [6])])
        let welcome = try await inbox.wait(for: 1)
        #expect(welcome.first?.body == [6])
        #expect(welcome.first?.clientMessageID == receipt.clientMessageID)
        await alice.close()
        await bob.close()
        await carol.close()
        await server.stop()
    }
}
