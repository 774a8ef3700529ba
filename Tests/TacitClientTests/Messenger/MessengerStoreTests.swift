import Crypto
import Foundation
import GRDB
import Testing
import TacitMLS
@testable import TacitClient

@Suite struct MessengerStoreTests {
    func freshHome() -> ClientHome { ClientHome(directory: TemporaryDirectory.make("messenger-store")) }

    @Test func sealedRowsOpenOnlyInTheirOwnPlace() throws {
        let sealer = StoreSealer(key: SymmetricKey(size: .bits256))
        let sealed = try sealer.seal(Array("secret".utf8), context: "message:a:b")
        #expect(try sealer.open(sealed, context: "message:a:b") == Array("secret".utf8))
        #expect(throws: MessengerError.self) { try sealer.open(sealed, context: "message:a:c") }
        let other = StoreSealer(key: SymmetricKey(size: .bits256))
        #expect(throws: MessengerError.self) { try other.open(sealed, context: "message:a:b") }
        #expect(sealer.lookupKey("alice", purpose: "contact") != other.lookupKey("alice", purpose: "contact"))
    }

    @Test func keyFileIsMadeOnceWithMode0600() throws {
        let home = freshHome()
        let first = try StoreKey.keyFile.symmetricKey(home: home)
        let second = try StoreKey.keyFile.symmetricKey(home: home)
        #expect(first == second)
        let attributes = try FileManager.default.attributesOfItem(atPath: StoreKey.keyFileURL(in: home).path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    }

    @Test func passphraseKeysDependOnPassphraseAndSalt() throws {
        let home = freshHome()
        let one = try StoreKey.passphrase("open sesame").symmetricKey(home: home)
        #expect(try StoreKey.passphrase("open sesame").symmetricKey(home: home) == one)
        #expect(try StoreKey.passphrase("open sesame!").symmetricKey(home: home) != one)
        #expect(try StoreKey.passphrase("open sesame").symmetricKey(home: freshHome()) != one, "another salt")
        #expect(throws: MessengerError.self) { try StoreKey.passphrase("").symmetricKey(home: home) }
    }

    @Test func storeRejectsTheWrongPassphraseAndKeepsNothingInTheClear() throws {
        let home = freshHome()
        let local = try LocalStore(home: home, deviceName: "test")
        let store = try MessengerStore(local: local, key: StoreKey.passphrase("right"))
        let marker = "plaintext-marker-\(UUID().uuidString)"
        let id = ConversationID(bytes: randomBytes(16))
        let message = ChatMessage(id: .random(), conversationID: id, sender: "alice", senderDevice: 1, isOutgoing: false,
                                  sentAt: Date(), serverTime: Date(), text: marker, replyTo: nil, mentions: [],
                                  editedAt: nil, isRecalled: false, reactions: [:], status: .delivered, readBy: [],
                                  expiresAt: nil)
        let contact = Contact(username: "bob-\(marker)", state: .accepted, profile: Profile(displayName: marker),
                              conversationID: id, updatedAt: Date())
        try store.write { db in
            try store.saveMessage(message, in: db)
            try store.saveContact(contact, in: db)
        }
        #expect(try store.messages(in: id, limit: 10, before: nil) == [message])
        #expect(try store.contacts() == [contact])
        try local.database.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
        #expect(filesContaining(marker, under: home.directory).isEmpty)
        #expect(throws: MessengerError.self) { _ = try MessengerStore(local: local, key: StoreKey.passphrase("wrong")) }
    }

    @Test func expiredMessagesAreDeleted() throws {
        let local = try LocalStore(home: freshHome(), deviceName: "test")
        let store = try MessengerStore(local: local, key: StoreKey.keyFile)
        let id = ConversationID(bytes: randomBytes(16))
        func message(expires: Date?) -> ChatMessage {
            ChatMessage(id: .random(), conversationID: id, sender: "a", senderDevice: 1, isOutgoing: false, sentAt: Date(),
                        serverTime: Date(), text: "t", replyTo: nil, mentions: [], editedAt: nil, isRecalled: false,
                        reactions: [:], status: .delivered, readBy: [], expiresAt: expires)
        }
        let gone = message(expires: Date() - 1)
        let kept = message(expires: Date() + 3600)
        let forever = message(expires: nil)
        try store.write { db in
            for item in [gone, kept, forever] { try store.saveMessage(item, in: db) }
        }
        let deleted = try store.deleteExpiredMessages(now: Date())
        #expect(deleted.map(\.1) == [gone.id])
        #expect(Set(try store.messages(in: id, limit: 10, before: nil).map(\.id)) == [kept.id, forever.id])
    }
}

/// Every file under `directory` (recursively) that contains `marker`.
func filesContaining(_ marker: String, under directory: URL) -> [String] {
    let needle = Data(marker.utf8)
    var hits: [String] = []
    guard let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) else { return [] }
    for case let url as URL in walker {
        guard let data = try? Data(contentsOf: url) else { continue }
        if data.range(of: needle) != nil { hits.append(url.path) }
    }
    return hits
}
