/// Why an entry failed: what was compared, what was computed and what the vector says.
public struct MLSVectorMismatch: Error, Hashable, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) { self.description = description }

    /// A short form of a decoding error: the path to the bad field and what was wrong.
    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing \(path(context)).\(key.stringValue)"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(path(context)): \(context.debugDescription)"
        @unknown default: return String(describing: error)
        }
    }
}

/// Throws unless `condition` holds.
func expect(_ condition: Bool, _ what: @autoclosure () -> String) throws(MLSVectorMismatch) {
    guard condition else { throw MLSVectorMismatch(what()) }
}

/// Throws unless the computed bytes equal the vector's, naming both in hex.
func expectEqual(_ actual: [UInt8], _ expected: [UInt8], _ what: @autoclosure () -> String) throws(MLSVectorMismatch) {
    guard actual == expected else {
        throw MLSVectorMismatch("\(what()): computed \(actual.abbreviatedHex), vector has \(expected.abbreviatedHex)")
    }
}

/// Throws unless the computed value equals the vector's.
func expectEqual<T: Equatable>(_ actual: T, _ expected: T, _ what: @autoclosure () -> String) throws(MLSVectorMismatch) {
    guard actual == expected else {
        throw MLSVectorMismatch("\(what()): computed \(actual), vector has \(expected)")
    }
}

/// Runs `body`, turning an implementation error into a mismatch that says which step threw.
func step<T>(_ what: @autoclosure () -> String, _ body: () throws -> T) throws(MLSVectorMismatch) -> T {
    do {
        return try body()
    } catch let mismatch as MLSVectorMismatch {
        throw mismatch
    } catch {
        throw MLSVectorMismatch("\(what()): \(error)")
    }
}

/// Throws unless `body` throws: for inputs that must be refused.
func expectRefused(_ what: @autoclosure () -> String, _ body: () throws -> Void) throws(MLSVectorMismatch) {
    do {
        try body()
    } catch {
        return
    }
    throw MLSVectorMismatch("\(what()) was accepted")
}

extension Array where Element == UInt8 {
    /// Hex, cut to its first 32 bytes for failure messages.
    var abbreviatedHex: String {
        let shown = prefix(32).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        return count > 32 ? "\(shown)… (\(count) bytes)" : (isEmpty ? "(empty)" : shown)
    }
}
