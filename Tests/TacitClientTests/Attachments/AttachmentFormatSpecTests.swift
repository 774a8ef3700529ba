import Crypto
import Foundation
import Testing
@testable import TacitClient

/// Rebuilds a blob straight from the ``AttachmentFormat`` doc comment with raw swift-crypto
/// calls, so the code cannot drift from the written format.
@Suite("Attachment format matches its specification")
struct AttachmentFormatSpecTests {
    let key = Data((0..<32).map { UInt8($0) })
    let noncePrefix = Data([0xA0, 0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7])

    func specBlob(plaintext: [UInt8], chunkSize: Int) throws -> [UInt8] {
        var header: [UInt8] = Array("TCAF".utf8) + [1, 1, 0, 0]
        header += [UInt8(chunkSize >> 24 & 0xFF), UInt8(chunkSize >> 16 & 0xFF), UInt8(chunkSize >> 8 & 0xFF), UInt8(chunkSize & 0xFF)]
        header += noncePrefix
        let prk = HKDF<SHA256>.extract(inputKeyMaterial: SymmetricKey(data: key), salt: header)
        let chunkKey = HKDF<SHA256>.expand(
            pseudoRandomKey: prk, info: Array("tacit attachment v1 chunk key".utf8), outputByteCount: 32)
        let commitment = HKDF<SHA256>.expand(
            pseudoRandomKey: prk, info: Array("tacit attachment v1 key commitment".utf8), outputByteCount: 32)
        header += commitment.withUnsafeBytes { Array($0) }

        var pieces: [[UInt8]] = []
        var start = 0
        repeat {
            pieces.append(Array(plaintext[start..<min(plaintext.count, start + chunkSize)]))
            start += chunkSize
        } while start < plaintext.count
        var blob = header
        for (index, piece) in pieces.enumerated() {
            let indexBytes: [UInt8] = [0, 0, UInt8(index >> 8), UInt8(index & 0xFF)]
            let aad = header + indexBytes + [index == pieces.count - 1 ? 1 : 0]
            let box = try AES.GCM.seal(
                piece, using: chunkKey, nonce: AES.GCM.Nonce(data: noncePrefix + indexBytes), authenticating: aad)
            blob += box.ciphertext + box.tag
        }
        return blob
    }

    @Test("known answer", arguments: [(0, 16), (1, 16), (16, 16), (33, 16), (24, 5)])
    func knownAnswer(size: Int, chunkSize: Int) async throws {
        let plaintext = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let encryptor = try AttachmentEncryptor(chunkSize: chunkSize, fixedKey: key, noncePrefix: noncePrefix)
        var blob: [UInt8] = []
        let file = try await encryptor.encrypt(AttachmentTestPieces(plaintext, sizes: [3])) { blob += $0 }

        let expected = try specBlob(plaintext: plaintext, chunkSize: chunkSize)
        #expect(blob == expected)
        #expect(file.ciphertextSHA256 == Data(SHA256.hash(data: expected)))
        #expect(file.ciphertextSize == UInt64(expected.count))
    }
}
