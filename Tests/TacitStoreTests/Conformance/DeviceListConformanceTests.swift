import TacitStore
import Testing

@Suite("Store conformance: device lists, adding and revoking devices")
struct DeviceListConformanceTests {
    @Test("adding a device on the current version replaces the list", arguments: StoreBackend.all)
    func addDevice(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let first = try await store.makeAccount("alice", createdAt: 0)
            let list2 = Fixtures.deviceList(version: 2)
            let newDevice = Fixtures.newDevice("tablet", createdAt: 10)
            let second = try await store.addDevice(username: "alice", device: newDevice,
                                                   deviceList: list2, replacingVersion: 1)

            #expect(second.id != first.id)
            #expect(second.username == "alice")
            #expect(second.identityKey == newDevice.identityKey)
            #expect(try await store.deviceList(username: "alice") == list2)
            #expect(try await store.activeDevices(username: "alice") == [first, second])
            #expect(try await store.device(identityKey: newDevice.identityKey) == second)
        }
    }

    @Test("adding a device on a stale version is a conflict and changes nothing", arguments: StoreBackend.all)
    func addDeviceStale(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let first = try await store.makeAccount("alice")
            let list2 = Fixtures.deviceList(version: 2)
            _ = try await store.addDevice(username: "alice", device: Fixtures.newDevice("b"),
                                          deviceList: list2, replacingVersion: 1)
            let late = Fixtures.newDevice("late")

            await #expect(throws: StoreError.conflict) {
                try await store.addDevice(username: "alice", device: late,
                                          deviceList: Fixtures.deviceList(version: 2), replacingVersion: 1)
            }
            #expect(try await store.device(identityKey: late.identityKey) == nil)
            #expect(try await store.deviceList(username: "alice") == list2)
            #expect(try await store.activeDevices(username: "alice").count == 2)
            #expect(try await store.activeDevices(username: "alice").first == first)
        }
    }

    @Test("of concurrent additions on the same version exactly one wins", arguments: StoreBackend.all)
    func addDeviceRace(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            _ = try await store.makeAccount("alice")
            let attempts = 10
            let successes = await withTaskGroup(of: Bool.self) { group in
                for index in 0..<attempts {
                    group.addTask {
                        do {
                            _ = try await store.addDevice(username: "alice",
                                                          device: Fixtures.newDevice("d\(index)"),
                                                          deviceList: Fixtures.deviceList(version: 2),
                                                          replacingVersion: 1)
                            return true
                        } catch {
                            #expect(error as? StoreError == .conflict)
                            return false
                        }
                    }
                }
                return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(successes == 1)
            #expect(try await store.activeDevices(username: "alice").count == 2)
        }
    }

    @Test("revoking checks the version, then marks the device revoked", arguments: StoreBackend.all)
    func revoke(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let first = try await store.makeAccount("alice")
            let second = try await store.addDevice(username: "alice", device: Fixtures.newDevice("b"),
                                                   deviceList: Fixtures.deviceList(version: 2),
                                                   replacingVersion: 1)

            await #expect(throws: StoreError.conflict) {
                try await store.revokeDevice(id: second.id, deviceList: Fixtures.deviceList(version: 3),
                                             replacingVersion: 1)
            }
            #expect(try await store.device(id: second.id)?.isRevoked == false)

            let list3 = Fixtures.deviceList(version: 3)
            try await store.revokeDevice(id: second.id, deviceList: list3, replacingVersion: 2)
            let revoked = try #require(try await store.device(id: second.id))
            #expect(revoked.isRevoked)
            #expect(revoked.identityKey == second.identityKey)
            #expect(try await store.device(identityKey: second.identityKey)?.isRevoked == true)
            #expect(try await store.activeDevices(username: "alice") == [first])
            #expect(try await store.deviceList(username: "alice") == list3)
        }
    }

    @Test("device list versions may use the whole UInt64 range", arguments: StoreBackend.all)
    func largeVersions(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let list = Fixtures.deviceList(version: .max)
            _ = try await store.createAccount(username: "alice", device: Fixtures.newDevice(), deviceList: list)
            #expect(try await store.deviceList(username: "alice") == list)
            let next = Fixtures.deviceList(version: .max - 1)
            _ = try await store.addDevice(username: "alice", device: Fixtures.newDevice("b"),
                                          deviceList: next, replacingVersion: .max)
            #expect(try await store.deviceList(username: "alice") == next)
        }
    }

    @Test("adding to an unknown account or revoking an unknown device is notFound", arguments: StoreBackend.all)
    func unknownTargets(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let alice = try await store.makeAccount("alice")
            await #expect(throws: StoreError.notFound) {
                try await store.addDevice(username: "nobody", device: Fixtures.newDevice(),
                                          deviceList: Fixtures.deviceList(version: 2), replacingVersion: 1)
            }
            await #expect(throws: StoreError.notFound) {
                try await store.revokeDevice(id: alice.id + 100, deviceList: Fixtures.deviceList(version: 2),
                                             replacingVersion: 1)
            }
            await #expect(throws: StoreError.notFound) {
                try await store.revokeDevice(id: .max, deviceList: Fixtures.deviceList(version: 2),
                                             replacingVersion: 1)
            }
            #expect(try await store.deviceList(username: "alice")?.version == 1)
        }
    }

    @Test("adding a device whose key another device uses is a conflict", arguments: StoreBackend.all)
    func addDeviceReusedKey(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let bob = try await store.makeAccount("bob")
            _ = try await store.makeAccount("alice")
            let copy = NewDevice(identityKey: bob.identityKey, name: "copy", createdAt: Fixtures.date(1))
            await #expect(throws: StoreError.conflict) {
                try await store.addDevice(username: "alice", device: copy,
                                          deviceList: Fixtures.deviceList(version: 2), replacingVersion: 1)
            }
            // The whole operation was undone, the list too.
            #expect(try await store.deviceList(username: "alice")?.version == 1)
            #expect(try await store.activeDevices(username: "alice").count == 1)
        }
    }
}
