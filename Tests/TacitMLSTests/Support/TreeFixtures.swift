@testable import TacitMLS

/// A member made with real keys, for tree and message tests.
struct TestMember {
    let signatureKeys: SignatureKeyPair
    let encryptionKeys: HPKEKeyPair
    let initKeys: HPKEKeyPair
    var leaf: LeafNode

    /// A member whose leaf is signed for `source`; group-bound sources use `groupID` and `index`.
    init(suite: any CipherSuite, identity: String, source: LeafNodeSource = .keyPackage(Lifetime(notBefore: 0, notAfter: .max)),
         groupID: [UInt8] = Array("group".utf8), index: LeafIndex = LeafIndex(0)) throws {
        signatureKeys = suite.generateSignatureKeyPair()
        encryptionKeys = suite.generateHPKEKeyPair()
        initKeys = suite.generateHPKEKeyPair()
        leaf = LeafNode(encryptionKey: encryptionKeys.publicKey, signatureKey: signatureKeys.publicKey,
                        credential: .basic(identity: Array(identity.utf8)),
                        capabilities: Capabilities(cipherSuites: [suite.id]), source: source)
        try leaf.sign(suite: suite, privateKey: signatureKeys.privateKey,
                      group: LeafNodeGroupBinding(groupID: groupID, leafIndex: index))
    }

    /// A signed KeyPackage for this member.
    func keyPackage(suite: any CipherSuite) throws -> KeyPackage {
        var package = KeyPackage(cipherSuite: suite.id, initKey: initKeys.publicKey, leafNode: leaf)
        try package.sign(suite: suite, privateKey: signatureKeys.privateKey)
        return package
    }
}

/// The suite-1 implementation.
func suite1() throws -> any CipherSuite {
    try CipherSuiteID.mls128X25519AES128GCMSHA256Ed25519.suite()
}
