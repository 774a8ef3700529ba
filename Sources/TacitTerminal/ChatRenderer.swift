/// Lays a ``ChatScreen`` out on a `width`×`height` cell grid:
///
/// ```
///  tacit: alice         │ Hiking (alice, bob, carol)
/// ─────────────────────────────────────────────────  header, rule
///  > Hiking         (2) │ 14:02 bob: Saturday?        list │ history
///    carol              │ 14:03 alice: yes! ✓✓ read
/// ─────────────────────────────────────────────────
///  bob is typing…                                     typing / notice
///  > compose text_                                    compose
/// ```
///
/// The list is dropped on narrow terminals; all text is sanitized (no control characters
/// from other users reach the terminal) and cut or wrapped by cell width.
public struct ChatRenderer: Sendable {
    public var glyphs: Glyphs
    public var ascii: Bool

    public init(ascii: Bool) {
        self.ascii = ascii
        glyphs = ascii ? .ascii : .unicode
    }

    /// Terminals smaller than this get a one-line message instead of the chat.
    public static let minimumWidth = 20
    public static let minimumHeight = 6

    public func render(_ screen: ChatScreen, width: Int, height: Int) -> ScreenFrame {
        guard width >= Self.minimumWidth, height >= Self.minimumHeight else {
            var lines = Array(repeating: String(repeating: " ", count: max(0, width)), count: max(0, height))
            if !lines.isEmpty { lines[0] = ScreenText.padded("terminal too small", to: width) }
            return ScreenFrame(width: width, height: height, lines: lines, cursorRow: 0, cursorColumn: 0)
        }
        let listWidth = width >= 60 ? min(24, width / 4 + 4) : 0
        let paneWidth = listWidth > 0 ? width - listWidth - 1 : width
        let bodyHeight = height - 5

        var lines: [String] = []
        lines.append(header(screen, listWidth: listWidth, paneWidth: paneWidth, width: width))
        lines.append(String(repeating: glyphs.horizontal, count: width))
        let list = listWidth > 0 ? conversationList(screen, width: listWidth, height: bodyHeight) : []
        let pane = messagePane(screen, width: paneWidth, height: bodyHeight)
        for row in 0..<bodyHeight {
            if listWidth > 0 {
                lines.append(list[row] + glyphs.vertical + pane[row])
            } else {
                lines.append(pane[row])
            }
        }
        lines.append(String(repeating: glyphs.horizontal, count: width))
        lines.append(statusLine(screen, width: width))
        let (compose, column) = composeLine(screen, width: width)
        lines.append(compose)
        return ScreenFrame(width: width, height: height, lines: lines, cursorRow: height - 1, cursorColumn: column)
    }

    // MARK: Parts

    private func text(_ raw: String) -> String { ScreenText.sanitized(raw, ascii: ascii) }

    private func header(_ screen: ChatScreen, listWidth: Int, paneWidth: Int, width: Int) -> String {
        let state = screen.isConnected ? "" : " (offline)"
        let me = " tacit: " + text(screen.account) + state
        var title = ""
        if let conversation = screen.selectedConversation {
            title = " " + text(conversation.title)
            if conversation.isGroup { title += " (" + text(conversation.members.joined(separator: ", ")) + ")" }
            if !conversation.isActive { title += " [left]" }
            if conversation.isRequest { title += " [contact request: /accept or /decline]" }
        }
        if listWidth > 0 {
            return ScreenText.padded(ScreenText.truncated(me, to: listWidth, ellipsis: glyphs.ellipsis), to: listWidth)
                + glyphs.vertical
                + ScreenText.padded(ScreenText.truncated(title, to: paneWidth, ellipsis: glyphs.ellipsis), to: paneWidth)
        }
        let joined = me + (title.isEmpty ? "" : " " + glyphs.vertical + title)
        return ScreenText.padded(ScreenText.truncated(joined, to: width, ellipsis: glyphs.ellipsis), to: width)
    }

    private func conversationList(_ screen: ChatScreen, width: Int, height: Int) -> [String] {
        var rows: [String] = []
        if screen.conversations.isEmpty {
            rows = [" no conversations", " /new USER or", " /group NAME USER.."]
        }
        // Keep the selection visible when there are more conversations than rows.
        let first = max(0, (screen.selected ?? 0) - height + 1)
        for (index, conversation) in screen.conversations.enumerated().dropFirst(first).prefix(height) {
            let marker = index == screen.selected ? ">" : " "
            var badge = conversation.unread > 0 ? "(\(conversation.unread))" : ""
            if conversation.isRequest { badge = "new?" + (badge.isEmpty ? "" : " " + badge) }
            if conversation.someoneTyping { badge = glyphs.typing + badge }
            if !conversation.isActive { badge = "-" }
            let title = marker + " " + (conversation.isGroup ? "#" : "") + text(conversation.title)
            let room = width - CellWidth.of(badge) - (badge.isEmpty ? 0 : 1)
            let shown = ScreenText.padded(ScreenText.truncated(title, to: room, ellipsis: glyphs.ellipsis), to: room)
            rows.append(shown + (badge.isEmpty ? "" : badge + " "))
        }
        return (0..<height).map { index in
            ScreenText.padded(index < rows.count ? rows[index] : "", to: width)
        }
    }

    private func messagePane(_ screen: ChatScreen, width: Int, height: Int) -> [String] {
        var body: [String]
        if let overlay = screen.overlay {
            body = overlay.flatMap { ScreenText.wrapped(" " + text($0), width: width) }
            body = Array(body.prefix(height))
            return (0..<height).map { ScreenText.padded($0 < body.count ? body[$0] : "", to: width) }
        }
        if screen.selectedConversation == nil {
            body = [" Welcome to tacit, " + text(screen.account) + ".", "",
                    " Start with /new USER (a contact request)", " or /group NAME USER... ; /help lists all."]
        } else if screen.messages.isEmpty {
            body = [" no messages yet"]
        } else {
            body = screen.messages.flatMap { messageLines($0, width: width) }
        }
        // Bottom-aligned; scrolled up by scrollBack lines.
        let maximumScroll = max(0, body.count - height)
        let scroll = min(max(0, screen.scrollBack), maximumScroll)
        let end = body.count - scroll
        let visible = Array(body[max(0, end - height)..<end])
        let padding = height - visible.count
        return (0..<height).map { row in
            ScreenText.padded(row < padding ? "" : visible[row - padding], to: width)
        }
    }

    /// The lines one message takes: a reply quote, the wrapped text with its mark, reactions.
    func messageLines(_ message: MessageRow, width: Int) -> [String] {
        var lines: [String] = []
        let sender = ScreenText.truncated(text(message.sender), to: 12, ellipsis: glyphs.ellipsis)
        let prefix = " " + text(message.time) + " " + sender + ": "
        let indent = min(CellWidth.of(prefix), max(1, width / 2))
        if let reply = message.replyTo {
            let quote = String(repeating: " ", count: indent) + glyphs.reply + " " + text(reply.sender) + ": "
                + text(reply.text).split(separator: "\n").joined(separator: " ")
            lines.append(ScreenText.truncated(quote, to: width, ellipsis: glyphs.ellipsis))
        }
        var body = message.isRecalled ? "(message recalled)" : text(message.text)
        if message.isEdited, !message.isRecalled { body += " (edited)" }
        if message.isOutgoing, let delivery = message.delivery {
            body += " " + glyphs.mark(delivery)
            if delivery == .read, message.readBy.count > 1 { body += " (\(message.readBy.count))" }
        }
        let wrapped = ScreenText.wrapped(body, width: max(1, width - indent))
        for (index, line) in wrapped.enumerated() {
            let lead = index == 0 ? ScreenText.padded(prefix, to: indent) : String(repeating: " ", count: indent)
            lines.append(lead + line)
        }
        if !message.reactions.isEmpty, !message.isRecalled {
            let reactions = message.reactions.map { text($0.emoji) + " \($0.count)" }.joined(separator: "  ")
            lines.append(ScreenText.truncated(String(repeating: " ", count: indent) + reactions, to: width,
                                              ellipsis: glyphs.ellipsis))
        }
        return lines
    }

    private func statusLine(_ screen: ChatScreen, width: Int) -> String {
        var parts: [String] = []
        if !screen.typing.isEmpty {
            let names = screen.typing.map(text)
            let who = names.count == 1 ? names[0] + " is" : names.joined(separator: ", ") + " are"
            parts.append(who + " typing" + glyphs.typing)
        }
        if let notice = screen.notice { parts.append(text(notice)) }
        return ScreenText.padded(ScreenText.truncated(" " + parts.joined(separator: "  "), to: width,
                                                      ellipsis: glyphs.ellipsis), to: width)
    }

    /// The compose line, scrolled sideways so the cursor stays visible, and the cursor's column.
    private func composeLine(_ screen: ChatScreen, width: Int) -> (String, Int) {
        let prompt = "> "
        let room = width - CellWidth.of(prompt) - 1
        let characters = screen.compose.characters.map { text(String($0)) }
        let cursor = screen.compose.cursor
        // Start far enough right that the cursor fits.
        var start = 0
        var widthBeforeCursor = characters[0..<cursor].reduce(0) { $0 + CellWidth.of($1) }
        while widthBeforeCursor > room, start < cursor {
            widthBeforeCursor -= CellWidth.of(characters[start])
            start += 1
        }
        var shown = ""
        var used = 0
        for piece in characters[start...] {
            let cells = CellWidth.of(piece)
            if used + cells > room { break }
            shown += piece
            used += cells
        }
        return (ScreenText.padded(prompt + shown, to: width), CellWidth.of(prompt) + widthBeforeCursor)
    }
}
