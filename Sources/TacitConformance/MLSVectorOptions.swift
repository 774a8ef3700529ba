/// How vectors are run.
public struct MLSVectorOptions: Hashable, Sendable {
    /// Whether leaf-node lifetimes are checked against the current time.
    ///
    /// Off by default: the published vectors carry lifetimes that have long expired, and checking
    /// them would fail every Welcome and Add for reasons that say nothing about conformance.
    public var checkLifetimes: Bool
    /// Whether entries of cipher suites this implementation lacks are skipped instead of failed.
    public var skipUnsupportedSuites: Bool

    public init(checkLifetimes: Bool = false, skipUnsupportedSuites: Bool = false) {
        self.checkLifetimes = checkLifetimes
        self.skipUnsupportedSuites = skipUnsupportedSuites
    }
}
