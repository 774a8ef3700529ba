import Foundation
import TacitServer
import TacitWire
import Testing

/// Packages that do not speak for the publishing device are refused, and nothing of a
/// refused publish is stored.
@Suite struct KeyPackageAttackTests {
    func expectRefused(_ socket: TestSocket, _ publish: WireClientFrame.OneOf_Body, code: WireError.Code,
                       sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let answer = try await socket.request(publish)
        #expect(answer.error?.code == code, sourceLocation: sourceLocation)
        let stock = try await socket.request(TestKeyPackages.stock)
        guard case .keyPackageStock(let response) = stock.body else { throw TestSocket.Failure.unexpected("\(stock)") }
        #expect(response.stock == 0 && !response.hasLastResort_p, sourceLocation: sourceLocation)
    }

    @Test func aPackageSignedWithAnotherDevicesKeyIsRefused() async throws {
        try await withTestServer { server in
            let mallory = TestDevice()
            let alice = TestDevice()
            let (mallorySocket, malloryID) = try await server.register("mallory", mallory)
            let (_, aliceID) = try await server.register("alice", alice)
            let good = try TestKeyPackages.make(for: mallory, username: "mallory", deviceID: malloryID)
            // Alice's key (which Mallory might have got hold of) under Mallory's credential,
            // and Mallory's key under Alice's credential: neither is Mallory's device.
            let foreignKey = try TestKeyPackages.make(for: alice, username: "mallory", deviceID: malloryID)
            let foreignName = try TestKeyPackages.make(for: mallory, username: "alice", deviceID: aliceID)
            try await expectRefused(mallorySocket, TestKeyPackages.publish([good, foreignKey]), code: .badRequest)
            try await expectRefused(mallorySocket, TestKeyPackages.publish([good], lastResort: foreignName), code: .badRequest)
            let otherDevice = try TestKeyPackages.make(for: mallory, username: "mallory", deviceID: aliceID)
            try await expectRefused(mallorySocket, TestKeyPackages.publish([otherDevice]), code: .badRequest)
            let rawName = try TestKeyPackages.make(for: mallory, username: "mallory", deviceID: malloryID,
                                                   credential: Array("mallory".utf8))
            try await expectRefused(mallorySocket, TestKeyPackages.publish([rawName]), code: .badRequest)
            #expect(try await mallorySocket.request(TestKeyPackages.publish([good])).error == nil)
        }
    }

    @Test func aTamperedPackageIsRefused() async throws {
        try await withTestServer { server in
            let mallory = TestDevice()
            let (socket, malloryID) = try await server.register("mallory", mallory)
            var tampered = try TestKeyPackages.make(for: mallory, username: "mallory", deviceID: malloryID)
            tampered[12] ^= 0x01  // inside the init key: the package signature no longer verifies
            try await expectRefused(socket, TestKeyPackages.publish([tampered]), code: .badRequest)
            let good = try TestKeyPackages.make(for: mallory, username: "mallory", deviceID: malloryID)
            try await expectRefused(socket, TestKeyPackages.publish([good + [0]]), code: .badRequest)
        }
    }

    @Test func garbageAndOversizedPackagesAreRefused() async throws {
        try await withTestServer { server in
            let mallory = TestDevice()
            let (socket, malloryID) = try await server.register("mallory", mallory)
            try await expectRefused(socket, TestKeyPackages.publish([randomBytes(300)]), code: .badRequest)
            try await expectRefused(socket, TestKeyPackages.publish([[]]), code: .badRequest)
            try await expectRefused(socket, TestKeyPackages.publish([randomBytes(4097)]), code: .tooLarge)
            let good = try TestKeyPackages.make(for: mallory, username: "mallory", deviceID: malloryID)
            try await expectRefused(socket, TestKeyPackages.publish(Array(repeating: good, count: 201)), code: .tooLarge)
            let tooMany = try await socket.request(TestKeyPackages.claim(Array(1...1001)))
            #expect(tooMany.error?.code == .tooLarge)
            #expect(try await socket.request(.ping).error == nil)
        }
    }
}
