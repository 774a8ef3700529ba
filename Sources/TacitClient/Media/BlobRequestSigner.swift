import Foundation
import TacitWire

/// Signs blob requests with the device key (see ``BlobRequestTranscript``).
struct BlobRequestSigner: Sendable {
    let deviceID: UInt64
    let serverKey: [UInt8]
    let identity: DeviceIdentity

    /// The `Authorization` value for a request with these method, target and headers.
    func authorization(method: String, target: String, headers: [(String, String)],
                       now: Date = Date()) throws(MediaError) -> String {
        var signed: [String: String] = [:]
        for (name, value) in headers where BlobRequestTranscript.signedHeaderNames.contains(name.lowercased()) {
            signed[name.lowercased()] = value
        }
        var nonce = [UInt8](repeating: 0, count: BlobRequestTranscript.nonceLength)
        var generator = SystemRandomNumberGenerator()
        for index in nonce.indices { nonce[index] = generator.next() }
        let timestamp = UInt64(max(0, (now.timeIntervalSince1970 * 1000).rounded(.down)))
        let transcript = BlobRequestTranscript(method: method, path: target, deviceID: deviceID, timestampMs: timestamp,
                                               nonce: nonce, headers: signed)
        let signature: [UInt8]
        do {
            signature = try identity.sign(transcript.signedBytes(serverKey: serverKey))
        } catch {
            throw .io("signing failed: \(error)")
        }
        return BlobAuthorization(deviceID: deviceID, timestampMs: timestamp, nonce: nonce, signature: signature).headerValue
    }
}
