/// Device names are labels a person chose ("laptop"); the server only bounds them.
enum DeviceName {
    static let maxLength = 64

    static func validate(_ name: String) throws(RequestFailure) -> String {
        guard name.count <= maxLength else {
            throw .badRequest("a device name has at most \(maxLength) characters, not \(name.count)")
        }
        guard !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .badRequest("a device name may not contain control characters")
        }
        return name
    }
}
