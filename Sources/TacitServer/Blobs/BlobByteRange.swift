import Foundation

/// One byte range of an HTTP `Range: bytes=...` request (RFC 9110, section 14.1.2).
public enum BlobByteRange: Equatable, Sendable {
    /// `bytes=first-`: from `first` to the end.
    case from(UInt64)
    /// `bytes=first-last`: both inclusive, `first <= last`.
    case closed(first: UInt64, last: UInt64)
    /// `bytes=-count`: the last `count` bytes.
    case suffix(UInt64)

    /// Parses a `Range` header value holding a single byte range. Returns `nil` for anything
    /// else (other units, several ranges, bad syntax); RFC 9110 lets a server then ignore the
    /// header and send the whole blob.
    public init?(rangeHeader: String) {
        var text = Substring(rangeHeader)
        while text.first == " " { text.removeFirst() }
        while text.last == " " { text.removeLast() }
        guard text.lowercased().hasPrefix("bytes=") else { return nil }
        let spec = text.dropFirst(6)
        guard !spec.contains(","), let dash = spec.firstIndex(of: "-") else { return nil }
        let firstText = spec[..<dash]
        let lastText = spec[spec.index(after: dash)...]
        func number(_ digits: Substring) -> UInt64? {
            guard !digits.isEmpty, digits.count <= 19, digits.allSatisfy({ ("0"..."9").contains($0) }) else { return nil }
            return UInt64(digits)
        }
        if firstText.isEmpty {
            guard let count = number(lastText) else { return nil }
            self = .suffix(count)
        } else if lastText.isEmpty {
            guard let first = number(firstText) else { return nil }
            self = .from(first)
        } else {
            guard let first = number(firstText), let last = number(lastText), first <= last else { return nil }
            self = .closed(first: first, last: last)
        }
    }

    /// The bytes this range selects from a blob of `length` bytes. Throws
    /// ``BlobStoreError/rangeNotSatisfiable(length:)`` when it selects none (a start at or past
    /// the end, a zero suffix, or any range of an empty blob).
    public func resolved(length: UInt64) throws(BlobStoreError) -> Range<UInt64> {
        switch self {
        case .from(let first):
            guard first < length else { throw .rangeNotSatisfiable(length: length) }
            return first..<length
        case .closed(let first, let last):
            guard first < length, first <= last else { throw .rangeNotSatisfiable(length: length) }
            return first..<(Swift.min(last, length - 1) + 1)
        case .suffix(let count):
            guard count > 0, length > 0 else { throw .rangeNotSatisfiable(length: length) }
            return (length - Swift.min(count, length))..<length
        }
    }

    /// The `Content-Range` value of a 206 response: `bytes first-last/length`.
    public static func contentRange(_ range: Range<UInt64>, length: UInt64) -> String {
        "bytes \(range.lowerBound)-\(range.upperBound - 1)/\(length)"
    }
}
