import Foundation
import TacitServer
import TacitWire
import Testing

/// Steps of adding and removing devices, as a client performs them.
enum LinkFlow {
    static func createCode(_ socket: TestSocket) async throws -> WireCreateLinkCodeResponse {
        let answer = try await socket.request(.createLinkCode(WireCreateLinkCodeRequest()))
        guard case .createLinkCode(let code) = answer.body else { throw TestSocket.Failure.unexpected("\(answer)") }
        return code
    }

    static func approve(code: String, signer: TestDevice, username: String, version: UInt64,
                        devices: [TestDevice]) -> WireClientFrame.OneOf_Body {
        var request = WireApproveLinkRequest()
        request.code = code
        request.deviceList = signer.signList(username: username, version: version, devices: devices)
        return .approveLink(request)
    }

    static func revoke(_ id: UInt64, signer: TestDevice, username: String, version: UInt64,
                       remaining: [TestDevice]) -> WireClientFrame.OneOf_Body {
        var request = WireRevokeDeviceRequest()
        request.deviceID = id
        request.deviceList = signer.signList(username: username, version: version, devices: remaining)
        return .revokeDevice(request)
    }

    /// The whole link dance; returns the new device's authenticated socket (backlog drained) and id.
    static func link(_ server: TestServer, approver: TestSocket, approverDevice: TestDevice, username: String,
                     devices: [TestDevice], newDevice: TestDevice,
                     version: UInt64? = nil) async throws -> (TestSocket, UInt64) {
        let code = try await createCode(approver)
        let (claimant, challenge) = try await server.handshake()
        let claimID = claimant.send(newDevice.claim(code: code.code, challenge: challenge))
        let pushed = try await approver.push()
        guard case .linkRequested(let requested) = pushed.body else { throw TestSocket.Failure.unexpected("\(pushed)") }
        guard Array(requested.deviceKey) == newDevice.publicKey else { throw TestSocket.Failure.unexpected("key") }
        let approved = try await approver.request(approve(code: code.code, signer: approverDevice, username: username,
                                                          version: version ?? UInt64(devices.count + 1),
                                                          devices: devices + [newDevice]))
        guard case .approveLink(let response) = approved.body else { throw TestSocket.Failure.unexpected("\(approved)") }
        let result = try await claimant.receive()
        guard result.requestID == claimID, case .authResult(let auth) = result.body, auth.deviceID == response.deviceID
        else { throw TestSocket.Failure.unexpected("\(result)") }
        _ = try await claimant.backlog()
        return (claimant, response.deviceID)
    }
}

@Suite struct LinkTests {
    @Test func linkApproveAndRevoke() async throws {
        try await withTestServer { server in
            let laptop = TestDevice(name: "laptop")
            let phone = TestDevice(name: "phone")
            let (laptopSocket, laptopID) = try await server.register("alice", laptop)

            let code = try await LinkFlow.createCode(laptopSocket)
            #expect(code.code.count == 14)
            #expect(code.expiresMs > WireTime.milliseconds(Date()))
            let (claimant, challenge) = try await server.handshake()
            let claimID = claimant.send(phone.claim(code: code.code.lowercased(), challenge: challenge))
            let pushed = try await laptopSocket.push()
            guard case .linkRequested(let requested) = pushed.body else {
                Issue.record("expected LinkRequested, got \(pushed)")
                return
            }
            #expect(requested.code == code.code)
            #expect(Array(requested.deviceKey) == phone.publicKey)
            #expect(requested.deviceName == "phone")
            // Nothing for the claimant until the approval.
            try await claimant.expectSilence()

            // Wrong version, wrong key set: refused, the claim stays pending.
            let stale = try await laptopSocket.request(LinkFlow.approve(
                code: code.code, signer: laptop, username: "alice", version: 5, devices: [laptop, phone]))
            #expect(stale.error?.code == .conflict)
            let missing = try await laptopSocket.request(LinkFlow.approve(
                code: code.code, signer: laptop, username: "alice", version: 2, devices: [laptop]))
            #expect(missing.error?.code == .badRequest)
            let forged = try await laptopSocket.request(LinkFlow.approve(
                code: code.code, signer: phone, username: "alice", version: 2, devices: [laptop, phone]))
            #expect(forged.error?.code == .forbidden)

            let approved = try await laptopSocket.request(LinkFlow.approve(
                code: code.code, signer: laptop, username: "alice", version: 2, devices: [laptop, phone]))
            guard case .approveLink(let response) = approved.body else {
                Issue.record("expected approval, got \(approved)")
                return
            }
            let result = try await claimant.receive()
            #expect(result.requestID == claimID)
            guard case .authResult(let auth) = result.body else {
                Issue.record("expected AuthResult, got \(result)")
                return
            }
            #expect(auth.deviceID == response.deviceID)
            #expect(auth.username == "alice")
            _ = try await claimant.backlog()

            // The code is spent.
            let (late, lateChallenge) = try await server.handshake()
            let reuse = try await late.request(TestDevice().claim(code: code.code, challenge: lateChallenge))
            #expect(reuse.error?.code == .notFound)

            // Both devices are listed; the phone can act and receive.
            let listed = try await claimant.request(.listDevices(WireListDevicesRequest()))
            guard case .listDevices(let devices) = listed.body else {
                Issue.record("expected devices, got \(listed)")
                return
            }
            #expect(Set(devices.devices.map(\.deviceID)) == [laptopID, response.deviceID])
            #expect(try WireCoding.decode(WireDeviceList.self, from: devices.deviceList.deviceList).version == 2)

            // Revoke the phone: its socket closes, the directory forgets it.
            let revoked = try await laptopSocket.request(LinkFlow.revoke(
                response.deviceID, signer: laptop, username: "alice", version: 3, remaining: [laptop]))
            #expect(revoked.error == nil)
            let (_, closeCode) = try await claimant.drainUntilClosed()
            #expect(closeCode == WireCloseCode.deviceRevoked.rawValue)
            let after = try await laptopSocket.request(.lookup("alice"))
            guard case .lookup(let lookup) = after.body else {
                Issue.record("expected lookup, got \(after)")
                return
            }
            #expect(lookup.devices.map(\.deviceID) == [laptopID])
            // Sending to the revoked device fails clearly.
            let send = try await laptopSocket.request(.send(to: [response.deviceID], body: [1]))
            #expect(send.error?.code == .notFound)
            // The last device cannot be revoked.
            let last = try await laptopSocket.request(LinkFlow.revoke(
                laptopID, signer: laptop, username: "alice", version: 4, remaining: []))
            #expect(last.error?.code == .badRequest)
        }
    }

    @Test func anotherAccountCannotApproveOrRevoke() async throws {
        try await withTestServer { server in
            let alice = TestDevice()
            let mallory = TestDevice()
            let (aliceSocket, aliceID) = try await server.register("alice", alice)
            let (mallorySocket, _) = try await server.register("mallory", mallory)
            let code = try await LinkFlow.createCode(aliceSocket)
            let (claimant, challenge) = try await server.handshake()
            claimant.send(TestDevice().claim(code: code.code, challenge: challenge))
            _ = try await aliceSocket.push()
            let approve = try await mallorySocket.request(LinkFlow.approve(
                code: code.code, signer: mallory, username: "mallory", version: 2, devices: [mallory]))
            #expect(approve.error?.code == .forbidden)
            let revoke = try await mallorySocket.request(LinkFlow.revoke(
                aliceID, signer: mallory, username: "alice", version: 2, remaining: []))
            #expect(revoke.error?.code == .notFound)
        }
    }

    @Test func anOfflineCreatorHearsOfTheClaimWhenItConnects() async throws {
        try await withTestServer { server in
            let laptop = TestDevice()
            let (laptopSocket, laptopID) = try await server.register("alice", laptop)
            let code = try await LinkFlow.createCode(laptopSocket)
            await laptopSocket.close()
            let (claimant, challenge) = try await server.handshake()
            claimant.send(TestDevice(name: "tablet").claim(code: code.code, challenge: challenge))
            try await Task.sleep(for: .milliseconds(200))
            let back = try await server.authenticate(laptop, id: laptopID)
            var sawRequest = false
            for _ in 0..<2 {
                let frame = try await back.push()
                if case .linkRequested(let request) = frame.body {
                    sawRequest = request.deviceName == "tablet"
                }
            }
            #expect(sawRequest)
        }
    }

    @Test func anUnapprovedClaimExpires() async throws {
        try await withTestServer({ $0.linkCodeLifetime = .seconds(1) }) { server in
            let (laptopSocket, _) = try await server.register("alice", TestDevice())
            let code = try await LinkFlow.createCode(laptopSocket)
            let (claimant, challenge) = try await server.handshake()
            let claimID = claimant.send(TestDevice().claim(code: code.code, challenge: challenge))
            let (frames, closeCode) = try await claimant.drainUntilClosed()
            #expect(frames.first?.requestID == claimID)
            #expect(frames.first?.error?.code == .notFound)
            #expect(frames.first?.error?.message.contains("expired") == true)
            #expect(closeCode == WireCloseCode.authenticationFailed.rawValue)
        }
    }

    @Test func aDeviceMayRevokeItself() async throws {
        try await withTestServer { server in
            let laptop = TestDevice()
            let phone = TestDevice()
            let (laptopSocket, _) = try await server.register("alice", laptop)
            let (phoneSocket, phoneID) = try await LinkFlow.link(server, approver: laptopSocket, approverDevice: laptop,
                                                                 username: "alice", devices: [laptop], newDevice: phone)
            let answer = try await phoneSocket.request(LinkFlow.revoke(
                phoneID, signer: phone, username: "alice", version: 3, remaining: [laptop]))
            #expect(answer.error == nil)
            #expect(try await phoneSocket.closeCode() == WireCloseCode.deviceRevoked.rawValue)
        }
    }
}
