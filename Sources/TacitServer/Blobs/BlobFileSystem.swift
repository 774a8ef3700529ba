import Foundation

/// The POSIX calls the file blob store needs, with errors turned into ``BlobStoreError``.
/// Plain file descriptors rather than `FileHandle`: exact creation modes, positional I/O
/// (`pread`/`pwrite`, safe from several threads), and `fsync` where it matters.
enum BlobFileSystem {
    static func error(_ operation: String, _ path: String, _ code: Int32 = errno) -> BlobStoreError {
        code == ENOENT ? .notFound : .io("\(operation) \(path): \(String(cString: strerror(code)))")
    }

    /// Opens `path`; `mode` applies when `flags` include `O_CREAT`.
    static func openFile(_ path: String, _ flags: Int32, mode: mode_t = 0o600) throws(BlobStoreError) -> Int32 {
        while true {
            let fd = open(path, flags | O_CLOEXEC, mode)
            if fd >= 0 { return fd }
            if errno != EINTR { throw error("open", path) }
        }
    }

    static func closeFile(_ fd: Int32) {
        _ = close(fd)
    }

    /// Writes all of `bytes` at `offset`.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: UInt64, path: String) throws(BlobStoreError) {
        guard let base = bytes.baseAddress else { return }
        var done = 0
        while done < bytes.count {
            let result = pwrite(fd, base + done, bytes.count - done, off_t(offset) + off_t(done))
            if result < 0 {
                if errno == EINTR { continue }
                throw error("write", path)
            }
            done += result
        }
    }

    /// Reads up to `count` bytes at `offset`; fewer only at the end of the file.
    static func readUpTo(_ fd: Int32, count: Int, at offset: UInt64, path: String) throws(BlobStoreError) -> Data {
        var data = Data(count: count)
        var done = 0
        var failure: BlobStoreError?
        data.withUnsafeMutableBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            while done < count {
                let result = pread(fd, base + done, count - done, off_t(offset) + off_t(done))
                if result < 0 {
                    if errno == EINTR { continue }
                    failure = error("read", path)
                    return
                }
                if result == 0 { return }
                done += result
            }
        }
        if let failure { throw failure }
        data.count = done
        return data
    }

    static func syncFile(_ fd: Int32, path: String) throws(BlobStoreError) {
        guard fsync(fd) == 0 else { throw error("fsync", path) }
    }

    static func truncateFile(_ fd: Int32, to length: UInt64, path: String) throws(BlobStoreError) {
        guard ftruncate(fd, off_t(length)) == 0 else { throw error("truncate", path) }
    }

    /// Makes a directory's entries (new, renamed or removed files) durable.
    static func syncDirectory(_ path: String) throws(BlobStoreError) {
        let fd = try openFile(path, O_RDONLY | O_DIRECTORY)
        defer { closeFile(fd) }
        try syncFile(fd, path: path)
    }

    /// Creates `path` with mode 0700 if it is missing, and sets 0700 if it exists.
    static func makeDirectory(_ path: String) throws(BlobStoreError) {
        if mkdir(path, 0o700) != 0 && errno != EEXIST { throw error("mkdir", path) }
        guard chmod(path, 0o700) == 0 else { throw error("chmod", path) }
    }

    static func renameFile(_ from: String, _ to: String) throws(BlobStoreError) {
        guard rename(from, to) == 0 else { throw error("rename", from) }
    }

    /// Removes a file; a file already gone is fine.
    static func removeFile(_ path: String) throws(BlobStoreError) {
        if unlink(path) != 0 && errno != ENOENT { throw error("unlink", path) }
    }

    /// Size and modification time, or `nil` if the file does not exist. (Through
    /// FileManager: the `stat` struct's fields are not reliably visible to Swift on Linux
    /// once Dispatch is in the module graph.)
    static func status(_ path: String) throws(BlobStoreError) -> (size: UInt64, modified: Date)? {
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: path)
        } catch {
            if !FileManager.default.fileExists(atPath: path) { return nil }
            throw .io("stat \(path): \(error)")
        }
        let size = (attributes[.size] as? NSNumber)?.uint64Value ?? 0
        let modified = attributes[.modificationDate] as? Date ?? Date(timeIntervalSince1970: 0)
        return (size, modified)
    }

    /// Names in a directory (without "." and ".."); empty if it does not exist.
    static func list(_ path: String) throws(BlobStoreError) -> [String] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        do {
            return try FileManager.default.contentsOfDirectory(atPath: path)
        } catch {
            throw .io("list \(path): \(error)")
        }
    }
}
