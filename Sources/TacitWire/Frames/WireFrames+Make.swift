import Foundation

extension WireServerFrame {
    /// A frame answering request `requestID` (0 for pushes) with `body`.
    public init(requestID: UInt64, body: WireServerFrame.OneOf_Body) {
        self.init()
        self.requestID = requestID
        self.body = body
    }

    /// An error answer to request `requestID`.
    public static func error(_ error: WireError, requestID: UInt64) -> WireServerFrame {
        WireServerFrame(requestID: requestID, body: .error(error))
    }
}

extension WireClientFrame {
    /// A request frame with id `requestID` carrying `body`.
    public init(requestID: UInt64, body: WireClientFrame.OneOf_Body) {
        self.init()
        self.requestID = requestID
        self.body = body
    }
}

extension WireError {
    /// An error with a code, a human-readable message and whether a retry may succeed.
    public init(code: WireError.Code, message: String, retryable: Bool = false) {
        self.init()
        self.code = code
        self.message = message
        self.retryable = retryable
    }
}

/// Timestamps on the wire are milliseconds since 1970 (UTC).
public enum WireTime {
    /// `date` as wire milliseconds; dates before 1970 become 0.
    public static func milliseconds(_ date: Date) -> UInt64 {
        let ms = (date.timeIntervalSince1970 * 1000).rounded(.down)
        guard ms > 0 else { return 0 }
        guard ms < Double(UInt64.max) else { return UInt64.max }
        return UInt64(ms)
    }

    /// The date `milliseconds` after 1970.
    public static func date(milliseconds: UInt64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }
}
