/// A type that holds key material: its `description`, `debugDescription` and mirror (used by
/// `dump` and debuggers) show none of it.
///
/// Conforming types write a `description` that names only non-secret facts.
public protocol SecretRedacting: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {}

extension SecretRedacting {
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
