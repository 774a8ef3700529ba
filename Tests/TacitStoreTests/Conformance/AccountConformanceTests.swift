import TacitStore
import Testing

@Suite("Store conformance: accounts and devices")
struct AccountConformanceTests {
    @Test("a created account's device is found by id, by key and among the active devices",
          arguments: StoreBackend.all)
    func createAndLookUp(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let newDevice = Fixtures.newDevice("phone", createdAt: 5)
            let list = Fixtures.deviceList(version: 1)
            let device = try await store.createAccount(username: "alice", device: newDevice, deviceList: list)

            #expect(device.username == "alice")
            #expect(device.identityKey == newDevice.identityKey)
            #expect(device.name == "phone")
            #expect(device.createdAt == Fixtures.date(5))
            #expect(!device.isRevoked)
            #expect(try await store.device(id: device.id) == device)
            #expect(try await store.device(identityKey: newDevice.identityKey) == device)
            #expect(try await store.activeDevices(username: "alice") == [device])
            #expect(try await store.deviceList(username: "alice") == list)
        }
    }

    @Test("a taken username is refused and the first account stays as it was", arguments: StoreBackend.all)
    func usernameTaken(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let first = try await store.makeAccount("alice")
            let firstList = try await store.deviceList(username: "alice")
            let second = Fixtures.newDevice("intruder")

            await #expect(throws: StoreError.usernameTaken) {
                try await store.createAccount(username: "alice", device: second,
                                              deviceList: Fixtures.deviceList(version: 9))
            }
            #expect(try await store.device(identityKey: second.identityKey) == nil)
            #expect(try await store.activeDevices(username: "alice") == [first])
            #expect(try await store.deviceList(username: "alice") == firstList)
        }
    }

    @Test("of many concurrent sign-ups for one username exactly one wins", arguments: StoreBackend.all)
    func usernameRace(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let attempts = 20
            let outcomes = await withTaskGroup(of: Result<DeviceRecord, StoreError>.self) { group in
                for index in 0..<attempts {
                    group.addTask {
                        do {
                            return .success(try await store.createAccount(
                                username: "bob", device: Fixtures.newDevice("device \(index)"),
                                deviceList: Fixtures.deviceList(version: 1)))
                        } catch let error as StoreError {
                            return .failure(error)
                        } catch {
                            return .failure(.unavailable("\(error)"))
                        }
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            let winners = outcomes.compactMap { try? $0.get() }
            let losers = outcomes.filter { if case .failure(.usernameTaken) = $0 { true } else { false } }
            #expect(winners.count == 1)
            #expect(losers.count == attempts - 1)
            let active = try await store.activeDevices(username: "bob")
            #expect(active == winners)
        }
    }

    @Test("an identity key already in use is a conflict and creates no account", arguments: StoreBackend.all)
    func reusedIdentityKey(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let alice = try await store.makeAccount("alice")
            let copy = NewDevice(identityKey: alice.identityKey, name: "copy", createdAt: Fixtures.date(1))

            await #expect(throws: StoreError.conflict) {
                try await store.createAccount(username: "mallory", device: copy,
                                              deviceList: Fixtures.deviceList(version: 1))
            }
            #expect(try await store.deviceList(username: "mallory") == nil)
            #expect(try await store.activeDevices(username: "mallory").isEmpty)
            #expect(try await store.device(identityKey: alice.identityKey) == alice)
        }
    }

    @Test("lookups of things never stored find nothing", arguments: StoreBackend.all)
    func unknownLookups(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let alice = try await store.makeAccount("alice")
            #expect(try await store.device(id: alice.id + 1000) == nil)
            #expect(try await store.device(id: .max) == nil)
            #expect(try await store.device(identityKey: Fixtures.randomBytes(32)) == nil)
            #expect(try await store.device(identityKey: []) == nil)
            #expect(try await store.activeDevices(username: "nobody").isEmpty)
            #expect(try await store.deviceList(username: "nobody") == nil)
        }
    }

    @Test("usernames are compared exactly (case folding happens before the store)",
          arguments: StoreBackend.all)
    func usernamesAreExact(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            _ = try await store.makeAccount("alice")
            let other = try await store.makeAccount("Alice")
            #expect(try await store.activeDevices(username: "Alice") == [other])
        }
    }
}
