import Foundation

/// Dates are stored as `REAL` seconds since the reference date, the value `Date` holds
/// internally, so they read back exactly and compare in SQL in time order.
enum SQLiteDate {
    static func stored(_ date: Date) -> Double {
        date.timeIntervalSinceReferenceDate
    }

    static func date(_ value: Double) -> Date {
        Date(timeIntervalSinceReferenceDate: value)
    }
}
