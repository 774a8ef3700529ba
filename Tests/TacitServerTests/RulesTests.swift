import Foundation
import TacitStore
import Logging
import TacitWire
import Testing

@testable import TacitServer

@Suite struct TokenBucketTests {
    @Test func aBurstIsAllowedThenTheRateHolds() {
        let start = ContinuousClock.now
        var bucket = TokenBucket(ratePerSecond: 10, burst: 5, now: start)
        var taken: [Bool] = []
        for _ in 0..<6 { taken.append(bucket.take(now: start)) }
        #expect(taken == [true, true, true, true, true, false])
        // 10 per second: one token back after 100 ms, not before.
        let early = bucket.take(now: start + .milliseconds(50))
        let refilled = bucket.take(now: start + .milliseconds(110))
        let again = bucket.take(now: start + .milliseconds(120))
        #expect(!early)
        #expect(refilled)
        #expect(!again)
    }

    @Test func refillsNeverExceedTheBurst() {
        let start = ContinuousClock.now
        var bucket = TokenBucket(ratePerSecond: 100, burst: 3, now: start)
        let later = start + .seconds(60)
        var taken: [Bool] = []
        for _ in 0..<4 { taken.append(bucket.take(now: later)) }
        #expect(taken == [true, true, true, false])
    }
}

@Suite struct DeviceListRulesTests {
    let first = TestDevice(name: "one")
    let second = TestDevice(name: "two")

    @Test func aSuccessorMustBeSignedByAnActiveDeviceAndChangeExactlyOneKey() throws {
        let active: Set<[UInt8]> = [first.publicKey]
        let expected: Set<[UInt8]> = [first.publicKey, second.publicKey]
        let good = first.signList(username: "alice", version: 2, devices: [first, second])
        let verified = try DeviceListRules.verifySuccessor(good, username: "alice", previousVersion: 1,
                                                           activeKeys: active, expectedKeys: expected)
        #expect(verified.stored.version == 2)
        #expect(try WireCoding.decode(WireSignedDeviceList.self, from: verified.stored.signedList) == good)

        func failure(_ list: WireSignedDeviceList, username: String = "alice") -> WireError.Code? {
            do {
                _ = try DeviceListRules.verifySuccessor(list, username: username, previousVersion: 1,
                                                        activeKeys: active, expectedKeys: expected)
                return nil
            } catch {
                return error.code
            }
        }
        // Signed by the device being added, not by an active one.
        #expect(failure(second.signList(username: "alice", version: 2, devices: [first, second])) == .forbidden)
        // Version must be exactly previous + 1.
        #expect(failure(first.signList(username: "alice", version: 3, devices: [first, second])) == .conflict)
        #expect(failure(first.signList(username: "alice", version: 1, devices: [first, second])) == .conflict)
        // The key set must be exactly the expected one.
        #expect(failure(first.signList(username: "alice", version: 2, devices: [first])) == .badRequest)
        #expect(failure(first.signList(username: "alice", version: 2, devices: [first, second, TestDevice()])) == .badRequest)
        // Another account's name.
        #expect(failure(good, username: "bob") == .badRequest)
        // A tampered list no longer verifies.
        var tampered = good
        tampered.deviceList.append(0)
        #expect(failure(tampered) == .badRequest)
    }

    @Test func aListNamingAKeyTwiceIsRefused() {
        let list = first.signList(username: "alice", version: 1, devices: [first, first])
        #expect(throws: RequestFailure.self) { try DeviceListRules.open(list) }
    }
}

@Suite struct SendRulesTests {
    let rules = SendRules(maxBodyBytes: 100, maxRecipients: 3)

    func request(recipients: [UInt64] = [1], body: Int = 10, idLength: Int = 16) -> WireSendRequest {
        var request = WireSendRequest()
        request.recipientDeviceIds = recipients
        request.body = Data(repeating: 7, count: body)
        request.clientMessageID = Data(repeating: 1, count: idLength)
        return request
    }

    func code(_ request: WireSendRequest) -> WireError.Code? {
        do {
            _ = try rules.validate(request)
            return nil
        } catch {
            return error.code
        }
    }

    @Test func validSendsPassWithRecipientsDeduplicated() throws {
        let send = try rules.validate(request(recipients: [5, 3, 5]))
        #expect(send.recipients == [5, 3])
        #expect(send.body.count == 10)
    }

    @Test func limitsAreEnforcedWithClearErrors() throws {
        #expect(code(request(body: 100)) == nil)
        #expect(code(request(body: 101)) == .tooLarge)
        #expect(code(request(body: 0)) == .badRequest)
        #expect(code(request(idLength: 15)) == .badRequest)
        #expect(code(request(recipients: [])) == .badRequest)
        #expect(code(request(recipients: [1, 2, 3, 4])) == .tooLarge)
        do {
            _ = try rules.validate(request(body: 101))
        } catch {
            #expect(error.message.contains("101 bytes"))
            #expect(error.message.contains("at most 100 bytes"))
        }
    }
}

@Suite struct LinkCodeFormatTests {
    @Test func generatedCodesAreCanonicalAndDistinct() {
        let codes = (0..<200).map { _ in LinkCodeFormat.generate() }
        #expect(Set(codes).count == codes.count)
        for code in codes {
            #expect(code.count == 14)
            #expect(LinkCodeFormat.normalize(code) == code)
        }
    }

    @Test func typedCodesAreNormalized() {
        #expect(LinkCodeFormat.normalize(" abcd efgh-jkmn ") == "ABCD-EFGH-JKMN")
        #expect(LinkCodeFormat.normalize("ABCDEFGHJKMN") == "ABCD-EFGH-JKMN")
        #expect(LinkCodeFormat.normalize("ABCD-EFGH-JKM") == nil)
        #expect(LinkCodeFormat.normalize("ABCD-EFGH-JKM1") == nil)  // '1' is not in the alphabet
        #expect(LinkCodeFormat.normalize("") == nil)
    }
}

@Suite struct ServerIdentityTests {
    @Test func theKeyIsCreatedOnceWithMode0600AndReused() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tacit-id-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("nested/server-identity.key").path
        let first = try ServerIdentity.loadOrCreate(at: path, logger: .init(label: "test"))
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect((attributes[.size] as? Int) == 32)
        let second = try ServerIdentity.loadOrCreate(at: path, logger: .init(label: "test"))
        #expect(first.publicKey == second.publicKey)
    }

    @Test func aDamagedKeyFileIsAnErrorNotAReplacement() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tacit-id-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("server-identity.key").path
        _ = FileManager.default.createFile(atPath: path, contents: Data([1, 2, 3]))
        #expect(throws: ServerIdentity.LoadError.damaged(path)) {
            try ServerIdentity.loadOrCreate(at: path, logger: .init(label: "test"))
        }
        #expect(FileManager.default.contents(atPath: path) == Data([1, 2, 3]))
    }
}
