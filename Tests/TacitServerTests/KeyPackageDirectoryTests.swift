import Foundation
import TacitServer
import TacitWire
import Testing

@Suite struct KeyPackageDirectoryTests {
    static func stock(_ frame: WireServerFrame) throws -> (UInt32, Bool) {
        switch frame.body {
        case .publishKeyPackages(let response): return (response.stock, response.hasLastResort_p)
        case .keyPackageStock(let response): return (response.stock, response.hasLastResort_p)
        default: throw TestSocket.Failure.unexpected("\(frame)")
        }
    }

    static func claimed(_ frame: WireServerFrame) throws -> [WireClaimedKeyPackage] {
        guard case .claimKeyPackages(let response) = frame.body else { throw TestSocket.Failure.unexpected("\(frame)") }
        return response.keyPackages
    }

    @Test func publishStockAndClaim() async throws {
        try await withTestServer { server in
            let alice = TestDevice()
            let (aliceSocket, aliceID) = try await server.register("alice", alice)
            let (bobSocket, bobID) = try await server.register("bob", TestDevice())
            let packages = try (0..<3).map { _ in try TestKeyPackages.make(for: alice, username: "alice", deviceID: aliceID) }
            let lastResort = try TestKeyPackages.make(for: alice, username: "alice", deviceID: aliceID)

            let published = try await aliceSocket.request(TestKeyPackages.publish(packages, lastResort: lastResort))
            #expect(try Self.stock(published) == (3, true))
            #expect(try Self.stock(try await aliceSocket.request(TestKeyPackages.stock)) == (3, true))

            // Bob has published nothing and device 999999 does not exist: both are absent.
            let first = try Self.claimed(try await bobSocket.request(TestKeyPackages.claim([bobID, aliceID, 999_999])))
            #expect(first.map(\.deviceID) == [aliceID])
            #expect(first.first.map { Array($0.keyPackage) } == packages[0])
            #expect(first.first?.lastResort == false)
            for expected in packages.dropFirst() {
                let next = try Self.claimed(try await bobSocket.request(TestKeyPackages.claim([aliceID])))
                #expect(next.map { Array($0.keyPackage) } == [expected])
            }
            for _ in 0..<2 {
                let fallback = try Self.claimed(try await bobSocket.request(TestKeyPackages.claim([aliceID])))
                #expect(fallback.map { Array($0.keyPackage) } == [lastResort])
                #expect(fallback.first?.lastResort == true)
            }
            #expect(try Self.stock(try await aliceSocket.request(TestKeyPackages.stock)) == (0, true))
            let (_, metrics) = try await server.get("/metrics")
            #expect(metrics.contains("tacit_key_packages_claimed_total 5"))
            #expect(metrics.contains("tacit_key_packages_last_resort_claimed_total 2"))
        }
    }

    @Test func aClaimBelowTheThresholdTellsTheDeviceNowOrWhenItConnects() async throws {
        try await withTestServer({ $0.keyPackageLowStock = 3 }) { server in
            let alice = TestDevice()
            let (aliceSocket, aliceID) = try await server.register("alice", alice)
            let (bobSocket, _) = try await server.register("bob", TestDevice())
            let packages = try (0..<5).map { _ in try TestKeyPackages.make(for: alice, username: "alice", deviceID: aliceID) }
            #expect(try await aliceSocket.request(TestKeyPackages.publish(packages)).error == nil)

            // 5 → 4 → 3: not below the threshold yet.
            for _ in 0..<2 { #expect(try await bobSocket.request(TestKeyPackages.claim([aliceID])).error == nil) }
            try await aliceSocket.expectSilence()
            // 3 → 2: Alice is online and hears it at once.
            #expect(try await bobSocket.request(TestKeyPackages.claim([aliceID])).error == nil)
            let pushed = try await aliceSocket.push()
            guard case .keyPackagesLow(let low) = pushed.body else { throw TestSocket.Failure.unexpected("\(pushed)") }
            #expect(low.stock == 2)

            // 2 → 1 while Alice is offline: she hears it when she connects, beside her backlog.
            await aliceSocket.close()
            #expect(try await bobSocket.request(TestKeyPackages.claim([aliceID])).error == nil)
            let again = try await server.authenticate(alice, id: aliceID)
            var notice: WireKeyPackagesLow?
            var drained = false
            while notice == nil || !drained {
                let frame = try await again.push()
                switch frame.body {
                case .keyPackagesLow(let value): notice = value
                case .queueDrained: drained = true
                default: throw TestSocket.Failure.unexpected("\(frame)")
                }
            }
            #expect(notice?.stock == 1)
        }
    }

    @Test func aRevokedDevicesPackagesCannotBeClaimed() async throws {
        try await withTestServer { server in
            let laptop = TestDevice()
            let phone = TestDevice()
            let (laptopSocket, laptopID) = try await server.register("alice", laptop)
            let (phoneSocket, phoneID) = try await LinkFlow.link(server, approver: laptopSocket, approverDevice: laptop,
                                                                 username: "alice", devices: [laptop], newDevice: phone)
            let phonePackages = try (0..<3).map { _ in try TestKeyPackages.make(for: phone, username: "alice", deviceID: phoneID) }
            let phoneLastResort = try TestKeyPackages.make(for: phone, username: "alice", deviceID: phoneID)
            #expect(try await phoneSocket.request(TestKeyPackages.publish(phonePackages, lastResort: phoneLastResort)).error == nil)
            let laptopPackage = try TestKeyPackages.make(for: laptop, username: "alice", deviceID: laptopID)
            #expect(try await laptopSocket.request(TestKeyPackages.publish([laptopPackage])).error == nil)

            let revoked = try await laptopSocket.request(LinkFlow.revoke(phoneID, signer: laptop, username: "alice",
                                                                         version: 3, remaining: [laptop]))
            #expect(revoked.error == nil)
            let (bobSocket, _) = try await server.register("bob", TestDevice())
            let claims = try Self.claimed(try await bobSocket.request(TestKeyPackages.claim([phoneID, laptopID])))
            #expect(claims.map(\.deviceID) == [laptopID])
            #expect(try Self.claimed(try await bobSocket.request(TestKeyPackages.claim([phoneID]))).isEmpty)
        }
    }
}
