import Foundation

extension Messenger {
    /// Encrypts `file`, uploads it and sends it to the conversation as an attachment;
    /// returns the message as stored.
    ///
    /// The blob is announced for every other member device of the conversation (the server
    /// deletes it soon after they all fetched it). Before the first byte goes up, the upload's
    /// state — blob id and file key — is sealed into the local store; if the process dies,
    /// the same call (same conversation and file) continues the upload where the server
    /// stands instead of starting over, and sends the message with the same id.
    ///
    /// - Parameters:
    ///   - kind: how members show it (file, photo, voice message, video).
    ///   - caption: text sent with it.
    ///   - mediaType: MIME type; `application/octet-stream` if not given.
    ///   - metadata: file name (default: the file's own), pixel size, duration, thumbnail.
    ///   - progress: `started`, `progress` and a final `completed` or `failed` of the upload.
    @discardableResult
    public func sendAttachment(
        file: URL, to id: ConversationID, kind: MessageAttachment.Kind = .file, caption: String = "",
        mediaType: String? = nil, metadata: AttachmentMetadata? = nil, replyTo: MessageID? = nil,
        transferOptions: MediaTransferOptions = MediaTransferOptions(), progress: MediaProgressHandler? = nil
    ) async throws(MessengerError) -> ChatMessage {
        guard caption.utf8.count <= ContentCodec.maximumTextLength else { throw .content(.tooLong("caption")) }
        let (group, _) = try activeGroup(id)
        let recipients = MemberRoster(group: group).devices(except: deviceID).count
        let path = file.standardizedFileURL.resolvingSymlinksInPath().path
        let key = "\(id):\(path)"
        let pending = try store.pendingUpload(key)
        if let pending, let sent = try store.read({ db in try store.message(pending.messageID, in: id, db: db) }) {
            // An earlier run got as far as sending; only the bookkeeping was left.
            try store.write { db in try store.deletePendingUpload(key, in: db) }
            return sent
        }
        let messageID = pending?.messageID ?? .random()
        var described = metadata ?? AttachmentMetadata()
        // Checked before the upload, not after it: a name the descriptor cannot carry is
        // dropped, a media type it cannot carry is refused.
        if let name = described.fileName, (try? AttachmentDescriptorRules.checkFileName(name)) == nil {
            described.fileName = nil
        }
        if described.fileName == nil { described.fileName = Self.suggestedFileName(file) }
        let mediaType = mediaType ?? "application/octet-stream"
        guard (try? AttachmentDescriptorRules.checkMediaType(mediaType)) != nil else {
            throw .media(.io("'\(mediaType)' is not a media type (like image/jpeg)"))
        }
        let transfers: MediaTransfers
        do throws(MediaError) {
            transfers = try await client.mediaTransfers(options: transferOptions)
        } catch {
            throw .media(error)
        }
        let localStore = self.store
        let created = pending?.created ?? Date()
        let descriptor: AttachmentDescriptor
        do throws(MediaError) {
            descriptor = try await transfers.uploadAttachment(
                file: URL(fileURLWithPath: path), mediaType: mediaType, metadata: described,
                expectedRecipients: recipients, resuming: pending?.checkpoint,
                checkpoint: { checkpoint throws(MediaError) in
                    do {
                        try localStore.savePendingUpload(
                            PendingAttachmentUpload(messageID: messageID, checkpoint: checkpoint, created: created), key: key)
                    } catch {
                        throw .io("cannot record the upload in the local store: \(error)")
                    }
                },
                progress: progress)
        } catch {
            throw .media(error)
        }
        let attachment = MessageAttachment(descriptor: descriptor, kind: kind, caption: caption)
        let (_, message) = try await send(.attachment(attachment, replyTo: replyTo), in: id, messageID: messageID)
        try store.write { db in try store.deletePendingUpload(key, in: db) }
        guard let message else { throw .store("the sent message was not stored") }
        return message
    }

    /// Downloads, verifies and decrypts the attachment of `message` into `destination`,
    /// reporting `started`, `progress` and a final `completed` or `failed`.
    ///
    /// The file appears at `destination` only once every chunk, both sizes and the blob's
    /// digest verified; a damaged, cut or swapped blob ends in `failed` with nothing written.
    /// Cancelling the iterating task cancels the download.
    ///
    /// - Throws: ``MessengerError/notAllowed(_:)`` when the message carries no attachment.
    public nonisolated func downloadAttachment(
        of message: ChatMessage, to destination: URL, transferOptions: MediaTransferOptions = MediaTransferOptions()
    ) throws(MessengerError) -> AsyncStream<MediaTransferEvent> {
        guard let attachment = message.attachment else { throw .notAllowed("message \(message.id) has no attachment") }
        return client.downloadAttachment(attachment.descriptor, to: destination, options: transferOptions)
    }

    /// The file's name if an attachment may carry it (no separators, controls or overrides).
    static func suggestedFileName(_ file: URL) -> String? {
        let name = file.lastPathComponent
        return (try? AttachmentDescriptorRules.checkFileName(name)) != nil ? name : nil
    }
}

/// An attachment upload started for a message not sent yet (the `pending_upload` table).
struct PendingAttachmentUpload: Sendable, Codable {
    /// The id the message will have, so a resumed send is the same message.
    var messageID: MessageID
    var checkpoint: MediaUploadCheckpoint
    var created: Date
}

extension Messenger {
    /// How many devices other than this one the conversation's messages go to: the
    /// `expectedRecipients` for blobs sent there (a thumbnail, say).
    public func otherMemberDeviceCount(in id: ConversationID) throws(MessengerError) -> Int {
        let (group, _) = try activeGroup(id)
        return MemberRoster(group: group).devices(except: deviceID).count
    }
}
