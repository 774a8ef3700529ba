import Testing

/// The delivery contract, counted: every acknowledged message reached the app exactly
/// once, nothing unacknowledged did, and each sender's messages came in the order sent.
enum DeliveryCheck {
    /// `received` is what one app got; `acknowledged` maps sender name to the indices its
    /// sends were acknowledged with (texts are "NAME INDEX").
    static func verify(received: [String], acknowledged: [String: [Int]], receiver: String,
                       sourceLocation: SourceLocation = #_sourceLocation) {
        let expected = acknowledged.flatMap { name, indices in indices.map { "\(name) \($0)" } }
        let duplicates = received.count - Set(received).count
        let missing = Set(expected).subtracting(received)
        let unexpected = Set(received).subtracting(expected)
        #expect(duplicates == 0, "\(receiver): \(duplicates) messages reached the app twice", sourceLocation: sourceLocation)
        #expect(missing.isEmpty, "\(receiver): acknowledged but never delivered: \(missing.sorted().prefix(10))",
                sourceLocation: sourceLocation)
        #expect(unexpected.isEmpty, "\(receiver): delivered but never acknowledged: \(unexpected.sorted().prefix(10))",
                sourceLocation: sourceLocation)
        #expect(received.count == expected.count, sourceLocation: sourceLocation)
        for (name, indices) in acknowledged {
            let mine = received.filter { $0.hasPrefix(name + " ") }
            let sent = indices.map { "\(name) \($0)" }
            let firstDifference = zip(mine, sent).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            #expect(mine == sent, "\(receiver) from \(name): order differs at \(firstDifference.map(String.init) ?? "end")",
                    sourceLocation: sourceLocation)
        }
    }
}
