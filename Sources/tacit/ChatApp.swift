import Foundation
import TacitClient
import TacitTerminal

/// The imperative shell of `tacit chat`: feeds keys, messenger events, resizes and clock
/// ticks into a ``ChatScreen`` one at a time, runs what the user asked for, and draws.
actor ChatApp {
    /// Everything the UI loop reacts to, in arrival order.
    enum Input: Sendable {
        case bytes([UInt8])
        case endOfInput
        case escapeTimeout
        case resize
        case tick
        case messenger(MessengerEvent)
        case quit
    }

    private let messenger: Messenger
    private let renderer: ChatRenderer
    private let post: @Sendable (Input) -> Void
    private var screen: ChatScreen
    private var decoder = KeyDecoder()
    private var writer = FrameWriter()
    private var size: (width: Int, height: Int)
    private var running = true
    /// Conversation id → typing user → until when the indicator shows.
    private var typing: [ConversationID: [String: Date]] = [:]
    /// When this device last said it is typing, per conversation.
    private var typingSent: [ConversationID: Date] = [:]
    private var markingRead: Set<ConversationID> = []
    /// A conversation to select once it shows up in the list (after /new or /group).
    private var pendingSelection: ConversationID?

    init(messenger: Messenger, ascii: Bool, size: (width: Int, height: Int), post: @escaping @Sendable (Input) -> Void) {
        self.messenger = messenger
        renderer = ChatRenderer(ascii: ascii)
        self.size = size
        self.post = post
        screen = ChatScreen(account: messenger.username)
    }

    /// Handles inputs until the user quits (or input ends).
    func run(_ inputs: AsyncStream<Input>) async {
        await refresh()
        draw()
        for await input in inputs {
            await handle(input)
            guard running else { break }
            await refresh()
            draw()
        }
    }

    private func handle(_ input: Input) async {
        switch input {
        case .bytes(let bytes):
            let keys = decoder.decode(bytes)
            if decoder.hasPending {
                let post = self.post
                Task { try? await Task.sleep(for: .milliseconds(60)); post(.escapeTimeout) }
            }
            for key in keys { await handle(key) }
        case .escapeTimeout:
            for key in decoder.flush() { await handle(key) }
        case .endOfInput, .quit:
            running = false
        case .resize:
            size = TerminalDevice.size()
            writer.invalidate()
        case .tick:
            expireTyping()
        case .messenger(let event):
            apply(event)
        }
    }

    // MARK: Keys

    private func handle(_ key: TerminalKey) async {
        if key == .control("c") || key == .control("d") {
            running = false
            return
        }
        // Any key closes help or the contact list; typed text also goes to the compose line.
        if screen.overlay != nil {
            screen.overlay = nil
            if case .text = key {} else { return }
        }
        switch key {
        case .text(let text):
            screen.compose.insert(text.replacingOccurrences(of: "\r", with: ""))
            screen.notice = nil
            announceTyping()
        case .enter:
            let line = screen.compose.take()
            stopTyping()
            guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { return }
            await submit(line)
        case .backspace: screen.compose.deleteBackward()
        case .delete: screen.compose.deleteForward()
        case .left: screen.compose.moveLeft()
        case .right: screen.compose.moveRight()
        case .home, .control("a"): screen.compose.moveToStart()
        case .end, .control("e"): screen.compose.moveToEnd()
        case .control("w"): screen.compose.deleteWordBackward()
        case .control("u"): _ = screen.compose.take()
        case .up, .backTab: select(by: -1)
        case .down, .tab: select(by: 1)
        case .pageUp: screen.scrollBack += max(1, size.height - 8)
        case .pageDown: screen.scrollBack = max(0, screen.scrollBack - max(1, size.height - 8))
        case .control("l"): writer.invalidate()
        case .escape: screen.notice = nil
        default: break
        }
    }

    private func select(by step: Int) {
        stopTyping()
        if screen.moveSelection(by: step) { screen.notice = nil }
    }

    private var selectedID: ConversationID? {
        screen.selectedConversation.flatMap { ConversationID(hex: $0.id) }
    }

    // MARK: Commands

    private func submit(_ line: String) async {
        switch ComposeInput(parsing: line) {
        case .message(let text):
            guard let id = selectedID, screen.selectedConversation?.isActive == true else {
                screen.notice = "pick a conversation first (/new USER or /group NAME USER...)"
                return
            }
            perform { messenger in try await messenger.send(text: text, to: id); return nil }
        case .invalid(let why):
            screen.notice = why
        case .command(let command):
            await run(command)
        }
    }

    private func run(_ command: ComposeCommand) async {
        let current = selectedID
        switch command {
        case .quit:
            running = false
        case .help:
            screen.overlay = ComposeCommand.helpLines + ["", "(any key returns to the conversation)"]
        case .contacts:
            screen.overlay = ChatScreenMapping.contactLines(await messenger.contacts())
        case .members:
            guard let conversation = screen.selectedConversation else { return noSelection() }
            screen.overlay = ["Members of \(conversation.title):"] + conversation.members.map { "  " + $0 }
        case .invite:
            perform { messenger in
                let invite = try await messenger.createInvite()
                return "invite link: \(invite)"
            }
        case .direct(let user):
            if let existing = await messenger.directConversation(with: user) {
                pendingSelection = existing.id
                return
            }
            screen.notice = "asking \(user)…"
            perform(selecting: true) { messenger in
                let id = try await messenger.requestContact(user)
                return (id, "contact request sent to \(user)")
            }
        case .createGroup(let name, let members):
            screen.notice = "creating \(name)…"
            perform(selecting: true) { messenger in
                let id = try await messenger.createGroup(name: name, members: members)
                return (id, "created \(name)")
            }
        case .add(let users):
            guard let id = current else { return noSelection() }
            perform { messenger in try await messenger.addMembers(users, to: id); return "added \(users.joined(separator: ", "))" }
        case .remove(let users):
            guard let id = current else { return noSelection() }
            perform { messenger in
                try await messenger.removeMembers(users, from: id); return "removed \(users.joined(separator: ", "))"
            }
        case .leave:
            guard let id = current else { return noSelection() }
            perform { messenger in try await messenger.leave(id); return "left the conversation" }
        case .rename(let name):
            guard let id = current else { return noSelection() }
            perform { messenger in try await messenger.rename(id, to: name); return "renamed to \(name)" }
        case .react(let target, let emoji), .unreact(let target, let emoji):
            let remove = if case .unreact = command { true } else { false }
            guard let id = current, let message = targetMessage(target) else { return }
            perform { messenger in try await messenger.react(emoji, to: message, in: id, remove: remove); return nil }
        case .reply(let target, let text):
            guard let id = current, let message = targetMessage(target) else { return }
            perform { messenger in try await messenger.send(text: text, to: id, replyTo: message); return nil }
        case .edit(let target, let text):
            guard let id = current, let message = targetMessage(target, ownOnly: true) else { return }
            perform { messenger in try await messenger.edit(message, in: id, text: text); return nil }
        case .recall(let target):
            guard let id = current, let message = targetMessage(target, ownOnly: true) else { return }
            perform { messenger in try await messenger.recall(message, in: id); return "recalled" }
        case .save(let target, let directory):
            guard let id = current else { return noSelection() }
            let messages = (try? await messenger.messages(in: id, limit: 300)) ?? []
            guard let message = ChatScreenMapping.attachmentMessage(target, in: messages) else {
                screen.notice = "there is no attachment #\(target) here"
                return
            }
            save(message, into: directory ?? FileManager.default.currentDirectoryPath)
        case .accept(let user), .decline(let user):
            let accept = if case .accept = command { true } else { false }
            guard let name = user ?? currentPeer() else {
                screen.notice = "name the user: /\(accept ? "accept" : "decline") USER"
                return
            }
            perform { messenger in
                if accept {
                    try await messenger.acceptContact(name)
                    return "\(name) is now a contact"
                }
                try await messenger.declineContact(name)
                return "declined \(name)"
            }
        case .block(let user):
            perform { messenger in try await messenger.block(user); return "blocked \(user)" }
        case .unblock(let user):
            perform { messenger in try await messenger.unblock(user); return "unblocked \(user)" }
        }
    }

    /// Downloads an attachment off the UI loop, its progress in the notice line.
    private func save(_ message: ChatMessage, into directory: String) {
        let messenger = self.messenger
        let name = message.attachment?.displayName ?? "attachment"
        screen.notice = "saving \(name)…"
        Task {
            do {
                let saver = try AttachmentSaver(path: directory)
                let destination = AttachmentSaver.freeName(name, in: saver.directory)
                var shown = -1
                for await event in try messenger.downloadAttachment(of: message, to: destination) {
                    switch event {
                    case .progress(let bytes, let total) where total > 0:
                        let percent = Int(Double(bytes) / Double(total) * 100)
                        // Redraw at whole percents only.
                        if percent != shown {
                            shown = percent
                            await self.finish(notice: "saving \(name) \(ChatProgressText.bar(percent)) \(percent)%", select: nil)
                        }
                    case .failed(let error):
                        throw error
                    default:
                        break
                    }
                }
                await self.finish(notice: "saved \(destination.path)", select: nil)
            } catch {
                await self.finish(notice: "cannot save \(name): \(error)", select: nil)
            }
        }
    }

    private func noSelection() {
        screen.notice = "pick a conversation first"
    }

    private func currentPeer() -> String? {
        guard let conversation = screen.selectedConversation, !conversation.isGroup else { return nil }
        return conversation.members.first { $0 != screen.account } ?? conversation.title
    }

    private func targetMessage(_ target: Int, ownOnly: Bool = false) -> MessageID? {
        guard let row = screen.message(target: target, ownOnly: ownOnly), let id = MessageID(hex: row.id) else {
            screen.notice = ownOnly ? "you have no message #\(target) here" : "there is no message #\(target) here"
            return nil
        }
        return id
    }

    /// Runs `work` off the UI loop; its notice (or error) shows when it is done.
    private func perform(_ work: @escaping @Sendable (Messenger) async throws -> String?) {
        let messenger = self.messenger
        Task {
            do {
                let notice = try await work(messenger)
                await self.finish(notice: notice, select: nil)
            } catch {
                await self.finish(notice: "\(error)", select: nil)
            }
        }
    }

    private func perform(selecting: Bool, _ work: @escaping @Sendable (Messenger) async throws -> (ConversationID, String)) {
        let messenger = self.messenger
        Task {
            do {
                let (id, notice) = try await work(messenger)
                await self.finish(notice: notice, select: id)
            } catch {
                await self.finish(notice: "\(error)", select: nil)
            }
        }
    }

    private func finish(notice: String?, select: ConversationID?) async {
        if let notice { screen.notice = notice }
        if let select { pendingSelection = select }
        await refresh()
        draw()
    }

    // MARK: Typing

    private func announceTyping() {
        guard let id = selectedID, screen.selectedConversation?.isActive == true,
              !screen.compose.text.hasPrefix("/") else { return }
        let now = Date()
        if let last = typingSent[id], now.timeIntervalSince(last) < 4 { return }
        typingSent[id] = now
        let messenger = self.messenger
        Task { try? await messenger.setTyping(true, in: id) }
    }

    private func stopTyping() {
        guard let id = selectedID, typingSent.removeValue(forKey: id) != nil else { return }
        let messenger = self.messenger
        Task { try? await messenger.setTyping(false, in: id) }
    }

    private func expireTyping() {
        let now = Date()
        for (id, users) in typing {
            typing[id] = users.filter { $0.value > now }
        }
    }

    // MARK: Messenger events

    private func apply(_ event: MessengerEvent) {
        switch event {
        case .typing(let conversation, let username, let active):
            if active {
                typing[conversation, default: [:]][username] = Date().addingTimeInterval(6)
            } else {
                typing[conversation]?.removeValue(forKey: username)
            }
        case .messageReceived(let message):
            typing[message.conversationID]?.removeValue(forKey: message.sender)
        case .contactRequest(let contact):
            screen.notice = "\(contact.username) asks to be your contact: /accept \(contact.username)"
        default:
            break
        }
    }

    // MARK: Model and drawing

    /// Reloads the conversation list and the selected conversation's history from the messenger.
    private func refresh() async {
        let conversations = await messenger.conversations()
        let now = Date()
        let account = screen.account
        screen.setConversations(conversations.map { conversation in
            let someone = typing[conversation.id]?.contains { $0.value > now } ?? false
            return ChatScreenMapping.row(conversation, account: account, typing: someone)
        })
        if let pending = pendingSelection,
           let index = screen.conversations.firstIndex(where: { $0.id == pending.description }) {
            screen.selected = index
            screen.scrollBack = 0
            pendingSelection = nil
        }
        guard let id = selectedID else {
            screen.messages = []
            screen.typing = []
            return
        }
        screen.messages = ChatScreenMapping.rows((try? await messenger.messages(in: id, limit: 300)) ?? [])
        screen.typing = (typing[id] ?? [:]).filter { $0.value > now }.keys.sorted()
        screen.isConnected = await messenger.client.isConnected
        // What is on screen counts as read: clear the badge and send read receipts.
        if let row = screen.selectedConversation, row.unread > 0, row.isActive, !markingRead.contains(id) {
            markingRead.insert(id)
            let messenger = self.messenger
            Task {
                try? await messenger.markRead(id)
                await self.doneMarking(id)
            }
        }
    }

    private func doneMarking(_ id: ConversationID) async {
        markingRead.remove(id)
        await refresh()
        draw()
    }

    private func draw() {
        guard running else { return }
        let frame = renderer.render(screen, width: size.width, height: size.height)
        TerminalDevice.output(writer.output(for: frame))
    }

    /// The screen as plain text (for `--screen-dump` on exit).
    func plainText() -> String {
        renderer.render(screen, width: size.width, height: size.height).plainText
    }
}

/// The progress bar of the notice line: `[#####.....]`.
enum ChatProgressText {
    static func bar(_ percent: Int, width: Int = 20) -> String {
        let filled = max(0, min(width, percent * width / 100))
        return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "]"
    }
}
