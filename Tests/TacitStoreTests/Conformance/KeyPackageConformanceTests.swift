import Foundation
import TacitStore
import Testing

@Suite("Store conformance: the KeyPackage directory")
struct KeyPackageConformanceTests {
    static let limit = 500

    @Test("published packages are claimed oldest first, one per device and claim", arguments: StoreBackend.all)
    func publishAndClaim(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let alice = try await store.makeAccount("alice")
            let bob = try await store.makeAccount("bob")
            let packages = (0..<3).map { [UInt8(0xA0), UInt8($0)] }
            let published = try await store.publishKeyPackages(device: alice.id, oneTime: packages, lastResort: nil,
                                                               maxStored: Self.limit, now: Fixtures.date(0))
            #expect(published == KeyPackageInventory(oneTime: 3, hasLastResort: false))
            #expect(try await store.keyPackageInventory(device: bob.id) == KeyPackageInventory(oneTime: 0, hasLastResort: false))

            // Bob has nothing, so he is absent; Alice listed twice is claimed once.
            let first = try await store.claimKeyPackages(devices: [bob.id, alice.id, alice.id])
            #expect(first == [KeyPackageClaim(device: alice.id, keyPackage: packages[0], isLastResort: false,
                                              remainingOneTime: 2)])
            let second = try await store.claimKeyPackages(devices: [alice.id])
            #expect(second.map(\.keyPackage) == [packages[1]])
            #expect(second.first?.remainingOneTime == 1)
            #expect(try await store.keyPackageInventory(device: alice.id).oneTime == 1)
        }
    }

    @Test("the last-resort package is handed out when none is left, and is not consumed",
          arguments: StoreBackend.all)
    func lastResort(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let alice = try await store.makeAccount("alice")
            _ = try await store.publishKeyPackages(device: alice.id, oneTime: [[1]], lastResort: [0xFF, 1],
                                                   maxStored: Self.limit, now: Fixtures.date(0))
            #expect(try await store.claimKeyPackages(devices: [alice.id]).first?.isLastResort == false)
            for _ in 0..<3 {
                let claim = try await store.claimKeyPackages(devices: [alice.id])
                #expect(claim == [KeyPackageClaim(device: alice.id, keyPackage: [0xFF, 1], isLastResort: true,
                                                  remainingOneTime: 0)])
            }
            // A new last-resort package replaces the old one; one-time packages come first again.
            let stock = try await store.publishKeyPackages(device: alice.id, oneTime: [[2]], lastResort: [0xFF, 2],
                                                           maxStored: Self.limit, now: Fixtures.date(1))
            #expect(stock == KeyPackageInventory(oneTime: 1, hasLastResort: true))
            #expect(try await store.claimKeyPackages(devices: [alice.id]).map(\.keyPackage) == [[2]])
            #expect(try await store.claimKeyPackages(devices: [alice.id]).map(\.keyPackage) == [[0xFF, 2]])
        }
    }

    @Test("50 concurrent claimers of 20 packages get 20 distinct ones, then the last resort",
          arguments: StoreBackend.all)
    func concurrentClaims(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let alice = try await store.makeAccount("alice")
            let packages = (0..<20).map { [UInt8(0xB0), UInt8($0)] }
            _ = try await store.publishKeyPackages(device: alice.id, oneTime: packages, lastResort: [0xFF],
                                                   maxStored: Self.limit, now: Fixtures.date(0))
            let claims = try await withThrowingTaskGroup(of: [KeyPackageClaim].self) { group in
                for _ in 0..<50 {
                    group.addTask { try await store.claimKeyPackages(devices: [alice.id]) }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(claims.count == 50)
            let oneTime = claims.filter { !$0.isLastResort }
            #expect(oneTime.count == 20)
            #expect(Set(oneTime.map(\.keyPackage)) == Set(packages))
            #expect(claims.filter(\.isLastResort).allSatisfy { $0.keyPackage == [0xFF] })
            #expect(try await store.keyPackageInventory(device: alice.id)
                        == KeyPackageInventory(oneTime: 0, hasLastResort: true))
        }
    }

    @Test("a publish past the per-device limit stores nothing", arguments: StoreBackend.all)
    func limit(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let alice = try await store.makeAccount("alice")
            _ = try await store.publishKeyPackages(device: alice.id, oneTime: [[1], [2], [3]], lastResort: nil,
                                                   maxStored: 4, now: Fixtures.date(0))
            await #expect(throws: StoreError.quotaExceeded(limit: 4)) {
                try await store.publishKeyPackages(device: alice.id, oneTime: [[4], [5]], lastResort: [9],
                                                   maxStored: 4, now: Fixtures.date(1))
            }
            #expect(try await store.keyPackageInventory(device: alice.id)
                        == KeyPackageInventory(oneTime: 3, hasLastResort: false))
        }
    }

    @Test("a revoked device's packages are deleted and cannot be claimed; it cannot publish",
          arguments: StoreBackend.all)
    func revokeDropsPackages(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let phone = try await store.makeAccount("alice")
            let tablet = try await store.addDevice(username: "alice", device: Fixtures.newDevice("tablet"),
                                                   deviceList: Fixtures.deviceList(version: 2), replacingVersion: 1)
            for device in [phone, tablet] {
                _ = try await store.publishKeyPackages(device: device.id, oneTime: [[1], [2]], lastResort: [3],
                                                       maxStored: Self.limit, now: Fixtures.date(0))
            }
            try await store.revokeDevice(id: tablet.id, deviceList: Fixtures.deviceList(version: 3), replacingVersion: 2)

            let claims = try await store.claimKeyPackages(devices: [tablet.id, phone.id])
            #expect(claims.map(\.device) == [phone.id])
            #expect(try await store.keyPackageInventory(device: tablet.id)
                        == KeyPackageInventory(oneTime: 0, hasLastResort: false))
            await #expect(throws: StoreError.notFound) {
                try await store.publishKeyPackages(device: tablet.id, oneTime: [[4]], lastResort: nil,
                                                   maxStored: Self.limit, now: Fixtures.date(1))
            }
            await #expect(throws: StoreError.notFound) {
                try await store.publishKeyPackages(device: phone.id + 1000, oneTime: [[4]], lastResort: nil,
                                                   maxStored: Self.limit, now: Fixtures.date(1))
            }
        }
    }
}
