import Foundation

/// An output file that only appears under its real name once it is complete.
///
/// Bytes go to a hidden temporary file (mode 0600) in the destination's directory;
/// ``commit()`` flushes it to disk and renames it over the destination in one step, and
/// ``discard()`` removes it. A reader of the destination path thus sees either nothing (or the
/// previous file) or the complete new file, never a partial one.
final class AttachmentPartialFile {
    let destination: URL
    let temporaryURL: URL
    private var handle: FileHandle?

    init(destination: URL) throws(AttachmentCryptoError) {
        self.destination = destination
        let directory = destination.deletingLastPathComponent()
        self.temporaryURL = directory.appendingPathComponent(
            ".\(destination.lastPathComponent).\(UUID().uuidString).partial")
        guard FileManager.default.createFile(
            atPath: temporaryURL.path, contents: nil, attributes: [.posixPermissions: 0o600])
        else { throw .io("cannot create \(temporaryURL.path)") }
        do {
            handle = try FileHandle(forWritingTo: temporaryURL)
        } catch {
            try? FileManager.default.removeItem(at: temporaryURL)
            throw .io("cannot open \(temporaryURL.path): \(error)")
        }
    }

    func write(_ bytes: Data) throws(AttachmentCryptoError) {
        guard let handle else { throw .io("write after close") }
        do { try handle.write(contentsOf: bytes) } catch { throw .io("write failed: \(error)") }
    }

    /// Flushes and renames the file to its destination, replacing any file there.
    func commit() throws(AttachmentCryptoError) {
        guard let handle else { throw .io("commit after close") }
        self.handle = nil
        do {
            try handle.synchronize()
            try handle.close()
        } catch {
            try? FileManager.default.removeItem(at: temporaryURL)
            throw .io("flush failed: \(error)")
        }
        guard rename(temporaryURL.path, destination.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporaryURL)
            throw .io("cannot rename to \(destination.path): \(reason)")
        }
    }

    /// Removes the temporary file; the destination is left as it was.
    func discard() {
        try? handle?.close()
        handle = nil
        try? FileManager.default.removeItem(at: temporaryURL)
    }

    deinit {
        // A file neither committed nor discarded (say, a thrown error skipped both) is partial.
        if handle != nil { discard() }
    }
}
