import Testing
import TacitWire

@Suite("Usernames")
struct UsernameTests {
    @Test("names are case-folded", arguments: [("Alice", "alice"), ("b.o_b9", "b.o_b9"), ("ABC", "abc")])
    func folding(input: String, expected: String) throws {
        #expect(try Username.normalize(input) == expected)
    }

    @Test("length is 3 to 32")
    func length() {
        #expect(throws: Username.Problem.length(2)) { try Username.normalize("ab") }
        #expect(throws: Username.Problem.length(33)) { try Username.normalize(String(repeating: "a", count: 33)) }
        #expect((try? Username.normalize(String(repeating: "a", count: 32))) != nil)
    }

    @Test("only a-z 0-9 _ . are allowed", arguments: ["al ice", "al-ice", "alicé", "al@ce", "ａlice"])
    func characters(input: String) {
        #expect(throws: Username.Problem.self) { try Username.normalize(input) }
    }

    @Test("reserved names are refused, whatever their case")
    func reserved() {
        #expect(throws: Username.Problem.reserved("admin")) { try Username.normalize("Admin") }
    }
}

@Suite("Signed message layouts")
struct SignedMessagesTests {
    @Test("the device auth transcript binds every field in order")
    func deviceAuth() {
        let server = [UInt8](repeating: 1, count: 32)
        let challenge = [UInt8](repeating: 2, count: 32)
        let device = [UInt8](repeating: 3, count: 32)
        let bytes = SignedMessages.deviceAuth(serverKey: server, challenge: challenge,
                                              timestampMs: 0x0102_0304_0506_0708, deviceKey: device)
        let label = Array("tacit-auth-v1".utf8)
        #expect(bytes == label + server + challenge + [1, 2, 3, 4, 5, 6, 7, 8] + device)
        let other = SignedMessages.deviceAuth(serverKey: server, challenge: challenge,
                                              timestampMs: 0x0102_0304_0506_0709, deviceKey: device)
        #expect(other != bytes)
    }

    @Test("server proof and device list are domain-separated")
    func separation() {
        let proof = SignedMessages.serverProof(clientNonce: [9], challenge: [8])
        let list = SignedMessages.deviceList([9, 8])
        #expect(proof.starts(with: Array("tacit-server-v1".utf8)))
        #expect(list.starts(with: Array("tacit-device-list-v1".utf8)))
        #expect(proof != list)
    }
}
