import TacitMLS

/// Clients and groups made with real keys, for group tests.
enum GroupFixtures {
    static let suiteID = CipherSuiteID.mls128X25519AES128GCMSHA256Ed25519

    /// A fresh identity with a basic credential naming `name`.
    static func identity(_ name: String, suite: CipherSuiteID = suiteID) throws -> MLSSigningIdentity {
        try MLSSigningIdentity.generate(credential: .basic(identity: Array(name.utf8)), suite: suite)
    }

    /// A fresh KeyPackage for `identity`.
    static func keyPackage(for identity: MLSSigningIdentity, suite: CipherSuiteID = suiteID,
                           configuration: MLSGroupConfiguration = MLSGroupConfiguration()) throws -> KeyPackageBundle {
        try KeyPackageBundle.create(suite: suite, identity: identity, clock: configuration.clock)
    }

    /// A fresh client's KeyPackage.
    static func keyPackage(_ name: String, suite: CipherSuiteID = suiteID) throws -> KeyPackageBundle {
        try keyPackage(for: identity(name, suite: suite), suite: suite)
    }

    /// A group of `names.count` members created by the first, who added the others in one
    /// Commit; returns every member's group, in leaf order.
    static func group(_ names: [String], suite: CipherSuiteID = suiteID,
                      configuration: MLSGroupConfiguration = MLSGroupConfiguration()) throws -> [MLSGroup] {
        try group(names, joining: Set(names.indices.dropFirst()), suite: suite, configuration: configuration)
            .compactMap { $0 }
    }

    /// Like ``group(_:suite:configuration:)``, but only the members at `joining` (and the
    /// creator, at 0) process the Welcome; the others are `nil`.
    static func group(_ names: [String], joining: Set<Int>, suite: CipherSuiteID = suiteID,
                      configuration: MLSGroupConfiguration = MLSGroupConfiguration()) throws -> [MLSGroup?] {
        var creator = try MLSGroup.create(suite: suite, identity: identity(names[0], suite: suite), configuration: configuration)
        let packages = try names.dropFirst().map { try keyPackage($0, suite: suite) }
        guard !packages.isEmpty else { return [creator] }
        let bundle = try creator.commit(adding: packages.map(\.keyPackage))
        try creator.mergePendingCommit()
        guard let welcome = bundle.welcome else { throw VectorFailure("no Welcome") }
        let joined = try packages.enumerated().map { offset, package in
            joining.contains(offset + 1) ? try MLSGroup.join(welcome: welcome, keyPackage: package, configuration: configuration) : nil
        }
        return [creator] + joined
    }
}
