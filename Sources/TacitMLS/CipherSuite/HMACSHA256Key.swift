import Crypto

/// An HMAC-SHA256 key (RFC 2104) with its two padded key blocks already hashed, for the
/// suite's MAC, Extract and Expand.
///
/// Computing through `SHA256` directly, rather than the generic `HMAC`/`HKDF` types, costs a
/// fraction as much per call (those dominate a ratchet step or a key schedule otherwise), and
/// HKDF-Expand hashes the pads once for all its output blocks.
struct HMACSHA256Key {
    private static let blockLength = 64
    private var inner: SHA256
    private var outer: SHA256

    init(key: [UInt8]) {
        var block = [UInt8](repeating: 0, count: Self.blockLength)
        if key.count > Self.blockLength {
            SHA256.hash(data: key).withUnsafeBytes { digest in
                for (index, byte) in digest.enumerated() { block[index] = byte }
            }
        } else {
            for index in key.indices { block[index] = key[index] }
        }
        inner = SHA256()
        outer = SHA256()
        var pad = block
        for index in pad.indices { pad[index] ^= 0x36 }
        pad.withUnsafeBytes { inner.update(bufferPointer: $0) }
        for index in pad.indices { pad[index] = block[index] ^ 0x5c }
        pad.withUnsafeBytes { outer.update(bufferPointer: $0) }
    }

    /// `HMAC(key, message)`.
    func authenticationCode(for message: [UInt8]) -> [UInt8] {
        var hasher = inner
        message.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        return finish(hasher)
    }

    /// HKDF-Expand (RFC 5869, Section 2.3) with this key as the PRK; `length` is at most 255 * 32.
    func expand(info: [UInt8], length: Int) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(length)
        var block: [UInt8] = []
        var counter: UInt8 = 1
        while output.count < length {
            // T(i) = HMAC(PRK, T(i-1) | info | i)
            var hasher = inner
            block.withUnsafeBytes { hasher.update(bufferPointer: $0) }
            info.withUnsafeBytes { hasher.update(bufferPointer: $0) }
            withUnsafeBytes(of: counter) { hasher.update(bufferPointer: $0) }
            block = finish(hasher)
            output.append(contentsOf: block.prefix(length - output.count))
            counter &+= 1
        }
        return output
    }

    private func finish(_ hasher: SHA256) -> [UInt8] {
        var outerHasher = outer
        hasher.finalize().withUnsafeBytes { outerHasher.update(bufferPointer: $0) }
        return outerHasher.finalize().withUnsafeBytes { Array($0) }
    }
}

extension SHA256 {
    /// The digest of `data` as bytes, without the generic `DataProtocol` path.
    static func digestBytes(_ data: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        data.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        return hasher.finalize().withUnsafeBytes { Array($0) }
    }
}
