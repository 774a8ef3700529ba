/// Text made safe and fitted for a terminal cell grid.
public enum ScreenText {
    /// `text` with everything a terminal would act on replaced: control characters (which could
    /// carry escape sequences from another user's message) become `?`, tabs become a space.
    /// With `ascii`, every non-ASCII character becomes `?` too (terminals without UTF-8).
    public static func sanitized(_ text: String, ascii: Bool) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            if character == "\t" {
                result.append(" ")
            } else if character.unicodeScalars.contains(where: isControl) {
                result.append("?")
            } else if ascii, !character.isASCII {
                result.append("?")
            } else {
                result.append(character)
            }
        }
        return result
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029
    }

    /// The longest prefix of `text` that fits `width` cells; when text was cut and
    /// `ellipsis` is given, the prefix ends with it.
    public static func truncated(_ text: String, to width: Int, ellipsis: String? = nil) -> String {
        guard width > 0 else { return "" }
        if CellWidth.of(text) <= width { return text }
        let mark = ellipsis ?? ""
        let markWidth = CellWidth.of(mark)
        let room = markWidth < width ? width - markWidth : width
        var result = ""
        var used = 0
        for character in text {
            let cells = CellWidth.of(character)
            if used + cells > room { break }
            result.append(character)
            used += cells
        }
        return markWidth < width ? result + mark : result
    }

    /// `text` followed by spaces up to `width` cells (cut first if it is longer).
    public static func padded(_ text: String, to width: Int) -> String {
        let cut = truncated(text, to: width)
        let missing = width - CellWidth.of(cut)
        return missing > 0 ? cut + String(repeating: " ", count: missing) : cut
    }

    /// `text` broken into lines of at most `width` cells: at spaces where possible, inside a
    /// word that is longer than a line, and at every newline.
    public static func wrapped(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lines += wrapParagraph(String(paragraph), width: width)
        }
        return lines
    }

    private static func wrapParagraph(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        var lineWidth = 0
        for word in text.split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
            let wordWidth = CellWidth.of(word)
            let gap = line.isEmpty ? 0 : 1
            if lineWidth + gap + wordWidth <= width {
                if gap == 1 { line.append(" ") }
                line += word
                lineWidth += gap + wordWidth
                continue
            }
            if !line.isEmpty {
                lines.append(line)
                line = ""
                lineWidth = 0
            }
            // A word longer than a line is cut into pieces.
            var rest = word
            while CellWidth.of(rest) > width {
                let piece = truncated(rest, to: width)
                guard !piece.isEmpty else { rest = String(rest.dropFirst()); continue }  // a 2-cell char in 1 cell
                lines.append(piece)
                rest = String(rest.dropFirst(piece.count))
            }
            line = rest
            lineWidth = CellWidth.of(rest)
        }
        lines.append(line)
        return lines
    }
}
