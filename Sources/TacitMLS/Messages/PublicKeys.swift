/// An HPKE public key in the KEM's serialized form (RFC 9420, Section 5.1.1).
///
/// Encoded as `opaque HPKEPublicKey<V>`; fields of this type are written with `writeOpaque`.
public typealias HPKEPublicKey = [UInt8]

/// A signature verification key in the signature scheme's encoding (RFC 9420, Section 5.1.1).
///
/// Encoded as `opaque SignaturePublicKey<V>`.
public typealias SignaturePublicKey = [UInt8]
