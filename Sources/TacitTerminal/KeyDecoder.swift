/// Turns the bytes a terminal sends into ``TerminalKey``s: UTF-8 text, control keys and the
/// CSI / SS3 escape sequences of xterm-like terminals. Bytes of a sequence split across
/// reads are kept until the rest arrives; a lone ESC is reported when ``flush()`` is called.
public struct KeyDecoder: Sendable {
    private var pending: [UInt8] = []

    public init() {}

    /// Whether an incomplete sequence is waiting for more bytes.
    public var hasPending: Bool { !pending.isEmpty }

    /// Decodes what is complete in `pending` plus `bytes`.
    public mutating func decode(_ bytes: some Sequence<UInt8>) -> [TerminalKey] {
        pending += bytes
        var keys: [TerminalKey] = []
        var index = 0
        var text: [UInt8] = []
        func flushText() {
            if !text.isEmpty {
                keys.append(.text(String(decoding: text, as: UTF8.self)))
                text.removeAll()
            }
        }
        while index < pending.count {
            let byte = pending[index]
            switch byte {
            case 0x1B:
                guard let (key, length) = Self.escape(Array(pending[index...])) else {
                    flushText()
                    pending = Array(pending[index...])
                    return keys
                }
                flushText()
                if let key { keys.append(key) }
                index += length
            case 0x0D, 0x0A:
                flushText(); keys.append(.enter); index += 1
            case 0x7F, 0x08:
                flushText(); keys.append(.backspace); index += 1
            case 0x09:
                flushText(); keys.append(.tab); index += 1
            case 0x01...0x1A:
                flushText(); keys.append(.control(Character(Unicode.Scalar(byte + 0x60)))); index += 1
            case 0x00, 0x1C...0x1F:
                index += 1  // unused control bytes
            case 0x80...:
                let length = Self.utf8Length(byte)
                guard index + length <= pending.count else {
                    flushText()
                    pending = Array(pending[index...])
                    return keys
                }
                text += pending[index..<(index + length)]
                index += length
            default:
                text.append(byte)
                index += 1
            }
        }
        flushText()
        pending.removeAll()
        return keys
    }

    /// Reports a pending lone ESC (call after a short pause with no more input).
    public mutating func flush() -> [TerminalKey] {
        guard !pending.isEmpty else { return [] }
        let wasEscape = pending.first == 0x1B
        pending.removeAll()
        return wasEscape ? [.escape] : []
    }

    private static func utf8Length(_ lead: UInt8) -> Int {
        switch lead {
        case 0xC0...0xDF: 2
        case 0xE0...0xEF: 3
        case 0xF0...0xF7: 4
        default: 1  // a stray continuation byte decodes as U+FFFD
        }
    }

    /// The key of an escape sequence at the start of `bytes` and its length; nil when the
    /// sequence is not complete yet; a nil key for a complete sequence the chat ignores.
    private static func escape(_ bytes: [UInt8]) -> (TerminalKey?, Int)? {
        guard bytes.count >= 2 else { return nil }
        switch bytes[1] {
        case UInt8(ascii: "["):
            // CSI: parameters 0x30-0x3F, intermediates 0x20-0x2F, final 0x40-0x7E.
            var end = 2
            while end < bytes.count, (0x20...0x3F).contains(bytes[end]) { end += 1 }
            guard end < bytes.count else { return bytes.count > 32 ? (nil, bytes.count) : nil }
            let parameters = String(decoding: bytes[2..<end], as: UTF8.self)
            return (csiKey(final: bytes[end], parameters: parameters), end + 1)
        case UInt8(ascii: "O"):
            guard bytes.count >= 3 else { return nil }
            let key: TerminalKey? = switch bytes[2] {
            case UInt8(ascii: "A"): .up
            case UInt8(ascii: "B"): .down
            case UInt8(ascii: "C"): .right
            case UInt8(ascii: "D"): .left
            case UInt8(ascii: "H"): .home
            case UInt8(ascii: "F"): .end
            default: nil
            }
            return (key, 3)
        case 0x1B:
            return (.escape, 1)
        default:
            return (.escape, 1)  // Alt+key: the ESC, then the key itself
        }
    }

    private static func csiKey(final: UInt8, parameters: String) -> TerminalKey? {
        switch final {
        case UInt8(ascii: "A"): return .up
        case UInt8(ascii: "B"): return .down
        case UInt8(ascii: "C"): return .right
        case UInt8(ascii: "D"): return .left
        case UInt8(ascii: "H"): return .home
        case UInt8(ascii: "F"): return .end
        case UInt8(ascii: "Z"): return .backTab
        case UInt8(ascii: "~"):
            switch parameters.split(separator: ";").first {
            case "1", "7": return .home
            case "4", "8": return .end
            case "3": return .delete
            case "5": return .pageUp
            case "6": return .pageDown
            default: return nil
            }
        default:
            return nil
        }
    }
}
