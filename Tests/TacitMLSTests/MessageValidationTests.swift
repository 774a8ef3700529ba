import Testing
@testable import TacitMLS

@Suite("Messages: signatures, validation and strict decoding")
struct MessageValidationTests {
    @Test("leaf node signatures bind group-sourced leaves to the group and leaf index")
    func leafSignature() throws {
        let suite = try suite1()
        let group = LeafNodeGroupBinding(groupID: [1, 2], leafIndex: LeafIndex(3))
        let member = try TestMember(suite: suite, identity: "a", source: .update, groupID: group.groupID, index: group.leafIndex)
        #expect(member.leaf.verifySignature(suite: suite, group: group))
        #expect(!member.leaf.verifySignature(suite: suite, group: LeafNodeGroupBinding(groupID: [1, 2], leafIndex: LeafIndex(4))))
        #expect(!member.leaf.verifySignature(suite: suite, group: nil))
        var unsigned = member.leaf
        #expect(throws: LeafNodeError.missingGroupBinding) {
            try unsigned.sign(suite: suite, privateKey: member.signatureKeys.privateKey, group: nil)
        }
        let keyPackageLeaf = try TestMember(suite: suite, identity: "b").leaf
        #expect(keyPackageLeaf.verifySignature(suite: suite, group: nil))
        #expect(keyPackageLeaf.verifySignature(suite: suite, group: group), "key_package leaves ignore the group")
    }

    @Test("leaf node validation reports each Section 7.3 failure")
    func leafValidation() throws {
        let suite = try suite1()
        let member = try TestMember(suite: suite, identity: "a")
        let leaf = member.leaf
        func resigned(_ change: (inout LeafNode) -> Void) throws -> LeafNode {
            var copy = leaf
            change(&copy)
            try copy.sign(suite: suite, privateKey: member.signatureKeys.privateKey, group: nil)
            return copy
        }
        #expect(throws: Never.self) { try leaf.validate(suite: suite, group: nil, expectedSource: .keyPackage) }
        #expect(throws: LeafNodeValidationError.unexpectedSource(expected: .commit, found: .keyPackage)) {
            try leaf.validate(suite: suite, group: nil, expectedSource: .commit)
        }
        var forged = leaf
        forged.credential = .basic(identity: Array("mallory".utf8))
        #expect(throws: LeafNodeValidationError.invalidSignature) { try forged.validate(suite: suite, group: nil) }

        let x509 = try resigned { $0.credential = .x509(certificates: [[0x30, 0x00]]) }
        #expect(throws: LeafNodeValidationError.credentialTypeNotInCapabilities(.x509)) {
            try x509.validate(suite: suite, group: nil)
        }
        let unknownExtension = ExtensionType(rawValue: 0xff00)
        let unlisted = try resigned { $0.extensions = [Extension(type: unknownExtension, data: [])] }
        #expect(throws: LeafNodeValidationError.extensionNotInCapabilities(unknownExtension)) {
            try unlisted.validate(suite: suite, group: nil)
        }
        let listed = try resigned {
            $0.extensions = [Extension(type: unknownExtension, data: [])]
            $0.capabilities.extensions = [unknownExtension]
        }
        #expect(throws: Never.self) { try listed.validate(suite: suite, group: nil) }
        let twice = try resigned {
            $0.extensions = [Extension(ApplicationIDExtension(applicationID: [1])), Extension(ApplicationIDExtension(applicationID: [2]))]
        }
        #expect(throws: LeafNodeValidationError.duplicateExtension(.applicationID)) { try twice.validate(suite: suite, group: nil) }

        let required = RequiredCapabilitiesExtension(extensionTypes: [unknownExtension])
        #expect(throws: LeafNodeValidationError.missingRequiredCapabilities) {
            try leaf.validate(suite: suite, group: nil, requiredCapabilities: required)
        }
        #expect(throws: Never.self) { try listed.validate(suite: suite, group: nil, requiredCapabilities: required) }

        let shortLived = try resigned { $0.source = .keyPackage(Lifetime(notBefore: 100, notAfter: 200)) }
        #expect(throws: Never.self) { try shortLived.validate(suite: suite, group: nil, currentTime: 150) }
        #expect(throws: LeafNodeValidationError.outsideLifetime) { try shortLived.validate(suite: suite, group: nil, currentTime: 201) }
    }

    @Test("key packages sign, verify, reference and validate")
    func keyPackage() throws {
        let suite = try suite1()
        let member = try TestMember(suite: suite, identity: "a")
        let package = try member.keyPackage(suite: suite)
        #expect(package.verifySignature(suite: suite))
        #expect(throws: Never.self) { try package.validate(suite: suite) }
        let decoded = try expectRoundTrip(KeyPackage.self, package.mlsEncoded)
        #expect(decoded.reference(suite: suite) == package.reference(suite: suite))
        #expect(package.reference(suite: suite).bytes.count == suite.hashLength)

        var tampered = package
        tampered.initKey = suite.generateHPKEKeyPair().publicKey
        #expect(throws: KeyPackageValidationError.invalidSignature) { try tampered.validate(suite: suite) }

        var sameKey = package
        sameKey.initKey = package.leafNode.encryptionKey
        try sameKey.sign(suite: suite, privateKey: member.signatureKeys.privateKey)
        #expect(throws: KeyPackageValidationError.initKeyEqualsEncryptionKey) { try sameKey.validate(suite: suite) }

        let chacha = try CipherSuiteID.mls128X25519ChaCha20Poly1305SHA256Ed25519.suite()
        #expect(throws: KeyPackageValidationError.cipherSuiteMismatch(suite.id)) { try package.validate(suite: chacha) }
        #expect(throws: KeyPackageValidationError.versionMismatch(.mls10)) {
            try package.validate(suite: suite, version: ProtocolVersion(rawValue: 2))
        }
        let updateLeaf = try TestMember(suite: suite, identity: "b", source: .update)
        let wrongSource = try updateLeaf.keyPackage(suite: suite)
        #expect(throws: KeyPackageValidationError.invalidLeafNode(.unexpectedSource(expected: .keyPackage, found: .update))) {
            try wrongSource.validate(suite: suite)
        }
    }

    @Test("GroupInfo signatures cover every field above the signature")
    func groupInfo() throws {
        let suite = try suite1()
        let signer = suite.generateSignatureKeyPair()
        let context = GroupContext(cipherSuite: suite.id, groupID: [7], epoch: 3, treeHash: [1], confirmedTranscriptHash: [2])
        var info = GroupInfo(groupContext: context, extensions: [Extension(ExternalPubExtension(externalPub: [5]))],
                             confirmationTag: [9], signer: LeafIndex(2))
        try info.sign(suite: suite, privateKey: signer.privateKey)
        #expect(info.verifySignature(suite: suite, signatureKey: signer.publicKey))
        let decoded = try expectRoundTrip(GroupInfo.self, info.mlsEncoded)
        #expect(try decoded.extensions.payload(ExternalPubExtension.self)?.externalPub == [5])
        var moved = info
        moved.signer = LeafIndex(1)
        #expect(!moved.verifySignature(suite: suite, signatureKey: signer.publicKey))
    }

    @Test("extension payloads round-trip and refuse the wrong type or trailing bytes")
    func extensionPayloads() throws {
        let senders = ExternalSendersExtension(senders: [ExternalSender(signatureKey: [1, 2], credential: .basic(identity: [3]))])
        let required = RequiredCapabilitiesExtension(extensionTypes: [ExtensionType(rawValue: 0x0a0a)],
                                                     proposalTypes: [ProposalType(rawValue: 0xff01)],
                                                     credentialTypes: [.basic])
        let list = [Extension(senders), Extension(required), Extension(ApplicationIDExtension(applicationID: [4]))]
        #expect(try list.payload(ExternalSendersExtension.self) == senders)
        #expect(try list.payload(RequiredCapabilitiesExtension.self) == required)
        #expect(try list.payload(ExternalPubExtension.self) == nil)
        #expect(!list.hasDuplicateTypes)
        #expect(throws: MLSCodingError.self) { try list[0].decodePayload(ApplicationIDExtension.self) }
        let padded = Extension(type: .applicationID, data: ApplicationIDExtension(applicationID: [4]).mlsEncoded + [0])
        #expect(throws: MLSCodingError.trailingBytes(count: 1)) { try padded.decodePayload(ApplicationIDExtension.self) }
        #expect(ExtensionType(rawValue: 0x3a3a).isGREASE && !ExtensionType.ratchetTree.isGREASE)
    }

    @Test("unknown discriminants and malformed fields are typed errors")
    func strictDecoding() throws {
        #expect(throws: MLSCodingError.unknownEnumValue(type: "ProposalType", value: 0x0a0a)) {
            try Proposal(mlsEncoded: [0x0a, 0x0a, 0x00])
        }
        #expect(throws: MLSCodingError.unknownEnumValue(type: "CredentialType", value: 3)) {
            try Credential(mlsEncoded: [0x00, 0x03, 0x00])
        }
        #expect(throws: MLSCodingError.unknownEnumValue(type: "LeafNodeSource", value: 0)) {
            try LeafNodeSource(mlsEncoded: [0x00])
        }
        #expect(throws: MLSCodingError.unknownEnumValue(type: "ProposalOrRefType", value: 0)) {
            try ProposalOrRef(mlsEncoded: [0x00])
        }
        #expect(throws: MLSCodingError.invalidOptionalPresence(2)) { try Commit(mlsEncoded: [0x00, 0x02]) }
        #expect(throws: MLSCodingError.trailingBytes(count: 1)) { try RemoveProposal(mlsEncoded: [0, 0, 0, 1, 0]) }
        #expect(throws: MLSCodingError.truncated(needed: 4, available: 3)) { try RemoveProposal(mlsEncoded: [0, 0, 1]) }
        // A length that is not minimal, and one that claims more bytes than exist.
        #expect(throws: MLSCodingError.nonMinimalLength(1)) { try ExternalInitProposal(mlsEncoded: [0x40, 0x01, 0xaa]) }
        #expect(throws: MLSCodingError.truncated(needed: 0x3fff, available: 1)) {
            try ExternalInitProposal(mlsEncoded: [0x7f, 0xff, 0xaa])
        }
        // A capabilities vector whose length splits a uint16 entry.
        #expect(throws: MLSCodingError.truncated(needed: 2, available: 1)) {
            try Capabilities(mlsEncoded: [0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00])
        }
        // Unknown values in open registries are kept, so GREASE round-trips.
        let grease = Capabilities(versions: [.mls10, ProtocolVersion(rawValue: 0x0a0a)], cipherSuites: [CipherSuiteID(rawValue: 0x1a1a)],
                                  extensions: [ExtensionType(rawValue: 0x2a2a)], proposals: [ProposalType(rawValue: 0x3a3a)],
                                  credentials: [CredentialType(rawValue: 0x4a4a)])
        try expectRoundTrip(Capabilities.self, grease.mlsEncoded)
    }

    @Test("a Welcome finds the secrets for a KeyPackage reference")
    func welcomeLookup() throws {
        let entry = EncryptedGroupSecrets(newMember: KeyPackageRef(bytes: [1]),
                                          encryptedGroupSecrets: HPKECiphertext(kemOutput: [2], ciphertext: [3]))
        let welcome = Welcome(cipherSuite: .mls128X25519AES128GCMSHA256Ed25519, secrets: [entry], encryptedGroupInfo: [4])
        #expect(try expectRoundTrip(Welcome.self, welcome.mlsEncoded).secrets(for: KeyPackageRef(bytes: [1])) == entry)
        #expect(welcome.secrets(for: KeyPackageRef(bytes: [9])) == nil)
        let secrets = GroupSecrets(joinerSecret: [1], pathSecret: PathSecret(secret: [2]), psks: [])
        #expect(!String(describing: secrets).contains("[1]"))
        try expectRoundTrip(GroupSecrets.self, secrets.mlsEncoded)
    }
}
