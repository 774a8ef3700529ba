import TacitMLS

/// transcript-hashes.json: confirmed and interim transcript hashes and the confirmation tag (RFC 9420, Section 8.2).
public enum TranscriptHashVectorRunner: MLSVectorRunner {
    public struct Entry: Decodable, Sendable {
        public let cipher_suite: UInt16
        public let confirmation_key, authenticated_content, interim_transcript_hash_before: VectorHex
        public let confirmed_transcript_hash_after, interim_transcript_hash_after: VectorHex
    }

    public static let kind = MLSVectorKind.transcriptHashes

    public static func check(_ entry: Entry, in context: MLSVectorContext) throws {
        let suite = try context.requireSuite()
        let encoded = entry.authenticated_content.bytes
        let content = try step("decoding authenticated_content") { try AuthenticatedContent(mlsEncoded: encoded) }
        try expectEqual(content.mlsEncoded, encoded, "authenticated_content re-encoded")
        try expectEqual(content.content.contentType, .commit, "content type of authenticated_content")
        guard let tag = content.auth.confirmationTag else { throw MLSVectorMismatch("authenticated_content has no confirmation tag") }
        let confirmedAfter = entry.confirmed_transcript_hash_after.bytes
        try expect(ConfirmationTag.verify(tag, suite: suite, confirmationKey: entry.confirmation_key.bytes,
                                          confirmedTranscriptHash: confirmedAfter),
                   "confirmation tag does not verify with confirmation_key and confirmed_transcript_hash_after")

        let confirmed = try step("confirmed transcript hash") {
            try TranscriptHash.confirmed(suite: suite, interimTranscriptHash: entry.interim_transcript_hash_before.bytes,
                                         commit: content)
        }
        try expectEqual(confirmed, confirmedAfter, "confirmed_transcript_hash_after")
        try expectEqual(TranscriptHash.interim(suite: suite, confirmedTranscriptHash: confirmed, confirmationTag: tag),
                        entry.interim_transcript_hash_after.bytes, "interim_transcript_hash_after")

        // The tag check must be able to fail: a changed tag or key does not verify.
        var wrongTag = tag, wrongKey = entry.confirmation_key.bytes
        if !wrongTag.isEmpty { wrongTag[0] ^= 1 }
        // Flipped, not extended: HMAC pads short keys with zeros, so key + [0] is the same key.
        if !wrongKey.isEmpty { wrongKey[0] ^= 1 }
        try expect(!ConfirmationTag.verify(wrongTag, suite: suite, confirmationKey: entry.confirmation_key.bytes,
                                           confirmedTranscriptHash: confirmed), "a changed confirmation tag verifies")
        try expect(!ConfirmationTag.verify(tag, suite: suite, confirmationKey: wrongKey,
                                           confirmedTranscriptHash: confirmed), "the tag verifies under a changed key")
        try expectRefused("authenticated_content without its last byte") { _ = try AuthenticatedContent(mlsEncoded: encoded.dropLast()) }
        try expectRefused("authenticated_content with a trailing byte") { _ = try AuthenticatedContent(mlsEncoded: encoded + [0]) }
    }
}
