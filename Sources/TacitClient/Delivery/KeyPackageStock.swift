/// How many KeyPackages this device has in the server's directory.
public struct KeyPackageStock: Sendable, Equatable {
    /// One-time packages left; each claim by another device takes one.
    public var oneTime: Int
    /// Whether a last-resort package is stored (handed out, and kept, once no one-time
    /// package is left).
    public var hasLastResort: Bool

    /// A stock of `oneTime` packages, with or without a last-resort one.
    public init(oneTime: Int, hasLastResort: Bool) {
        self.oneTime = oneTime
        self.hasLastResort = hasLastResort
    }
}
