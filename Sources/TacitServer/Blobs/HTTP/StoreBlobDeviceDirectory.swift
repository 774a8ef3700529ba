import TacitStore

/// The server's device table, as the blob service reads it.
struct StoreBlobDeviceDirectory: BlobDeviceDirectory {
    let store: any TacitStore

    func device(id: UInt64) async throws -> BlobDevice? {
        guard let record = try await store.device(id: id) else { return nil }
        return BlobDevice(id: record.id, account: record.username, identityKey: record.identityKey,
                          isRevoked: record.isRevoked)
    }
}
