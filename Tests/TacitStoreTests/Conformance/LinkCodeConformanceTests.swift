import TacitStore
import Testing

@Suite("Store conformance: link codes")
struct LinkCodeConformanceTests {
    @Test("a link code is created, claimed once, and deleted", arguments: StoreBackend.all)
    func lifecycle(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let creator = try await store.makeAccount("alice")
            let code = LinkCode(code: "4711-0815", username: "alice", creatorDevice: creator.id,
                                expiresAt: Fixtures.date(600))
            try await store.createLinkCode(code)
            #expect(try await store.linkCode("4711-0815", now: Fixtures.date(0)) == code)

            let newKey = Fixtures.randomBytes(32)
            let claimed = try await store.claimLinkCode("4711-0815", deviceKey: newKey,
                                                        deviceName: "new phone", now: Fixtures.date(10))
            #expect(claimed.claimedDeviceKey == newKey)
            #expect(claimed.claimedDeviceName == "new phone")
            #expect(claimed.username == "alice")
            #expect(claimed.creatorDevice == creator.id)
            #expect(try await store.linkCode("4711-0815", now: Fixtures.date(20)) == claimed)

            await #expect(throws: StoreError.conflict) {
                try await store.claimLinkCode("4711-0815", deviceKey: Fixtures.randomBytes(32),
                                              deviceName: "thief", now: Fixtures.date(30))
            }
            #expect(try await store.linkCode("4711-0815", now: Fixtures.date(40)) == claimed)

            try await store.deleteLinkCode("4711-0815")
            #expect(try await store.linkCode("4711-0815", now: Fixtures.date(50)) == nil)
            await #expect(throws: StoreError.notFound) {
                try await store.claimLinkCode("4711-0815", deviceKey: newKey, deviceName: "again",
                                              now: Fixtures.date(60))
            }
            // Deleting what is gone is fine.
            try await store.deleteLinkCode("4711-0815")
        }
    }

    @Test("an expired link code cannot be seen or claimed", arguments: StoreBackend.all)
    func expiry(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let creator = try await store.makeAccount("alice")
            try await store.createLinkCode(LinkCode(code: "c1", username: "alice", creatorDevice: creator.id,
                                                    expiresAt: Fixtures.date(100)))
            #expect(try await store.linkCode("c1", now: Fixtures.date(99)) != nil)
            #expect(try await store.linkCode("c1", now: Fixtures.date(100)) == nil)
            await #expect(throws: StoreError.notFound) {
                try await store.claimLinkCode("c1", deviceKey: Fixtures.randomBytes(32), deviceName: "late",
                                              now: Fixtures.date(101))
            }
            await #expect(throws: StoreError.notFound) {
                try await store.claimLinkCode("never-made", deviceKey: Fixtures.randomBytes(32),
                                              deviceName: "x", now: Fixtures.date(0))
            }
        }
    }

    @Test("of concurrent claims of one code exactly one wins", arguments: StoreBackend.all)
    func claimRace(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let creator = try await store.makeAccount("alice")
            try await store.createLinkCode(LinkCode(code: "race", username: "alice", creatorDevice: creator.id,
                                                    expiresAt: Fixtures.date(1000)))
            let keys = (0..<10).map { _ in Fixtures.randomBytes(32) }
            let winners = await withTaskGroup(of: [UInt8]?.self) { group in
                for key in keys {
                    group.addTask {
                        do {
                            return try await store.claimLinkCode("race", deviceKey: key, deviceName: "d",
                                                                 now: Fixtures.date(1)).claimedDeviceKey
                        } catch {
                            #expect(error as? StoreError == .conflict)
                            return nil
                        }
                    }
                }
                return await group.reduce(into: [[UInt8]]()) { if let key = $1 { $0.append(key) } }
            }
            #expect(winners.count == 1)
            #expect(try await store.linkCode("race", now: Fixtures.date(2))?.claimedDeviceKey == winners.first)
        }
    }

    @Test("a code is unique, and needs a live creator device of its account", arguments: StoreBackend.all)
    func creationChecks(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let alice = try await store.makeAccount("alice")
            let bob = try await store.makeAccount("bob")
            let code = LinkCode(code: "dup", username: "alice", creatorDevice: alice.id,
                                expiresAt: Fixtures.date(100))
            try await store.createLinkCode(code)
            await #expect(throws: StoreError.conflict) { try await store.createLinkCode(code) }
            await #expect(throws: StoreError.notFound) {
                try await store.createLinkCode(LinkCode(code: "other", username: "alice", creatorDevice: bob.id,
                                                        expiresAt: Fixtures.date(100)))
            }
            await #expect(throws: StoreError.notFound) {
                try await store.createLinkCode(LinkCode(code: "nouser", username: "carol",
                                                        creatorDevice: alice.id, expiresAt: Fixtures.date(100)))
            }
            #expect(try await store.linkCode("other", now: Fixtures.date(0)) == nil)
        }
    }

    @Test("revoking the creator device voids its link codes", arguments: StoreBackend.all)
    func revokedCreator(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            _ = try await store.makeAccount("alice")
            let second = try await store.addDevice(username: "alice", device: Fixtures.newDevice("b"),
                                                   deviceList: Fixtures.deviceList(version: 2),
                                                   replacingVersion: 1)
            try await store.createLinkCode(LinkCode(code: "from-b", username: "alice", creatorDevice: second.id,
                                                    expiresAt: Fixtures.date(100)))
            try await store.revokeDevice(id: second.id, deviceList: Fixtures.deviceList(version: 3),
                                         replacingVersion: 2)
            #expect(try await store.linkCode("from-b", now: Fixtures.date(0)) == nil)
            await #expect(throws: StoreError.notFound) {
                try await store.claimLinkCode("from-b", deviceKey: Fixtures.randomBytes(32), deviceName: "x",
                                              now: Fixtures.date(1))
            }
        }
    }
}
