/// The confirmed and interim transcript hashes (RFC 9420, Section 8.2).
///
/// ```
/// confirmed_transcript_hash_[n] = Hash(interim_transcript_hash_[n-1] || ConfirmedTranscriptHashInput_[n])
/// interim_transcript_hash_[n]   = Hash(confirmed_transcript_hash_[n] || InterimTranscriptHashInput_[n])
///
/// struct { WireFormat wire_format; FramedContent content; opaque signature<V>; } ConfirmedTranscriptHashInput;
/// struct { MAC confirmation_tag; } InterimTranscriptHashInput;
/// ```
/// Both start as the empty string at epoch 0.
public enum TranscriptHash {
    /// The confirmed transcript hash after `commit`, which must carry a Commit.
    public static func confirmed(suite: any CipherSuite, interimTranscriptHash: [UInt8],
                                 commit: AuthenticatedContent) throws -> [UInt8] {
        guard commit.content.contentType == .commit else { throw FramingError.notACommit }
        var input = MLSEncoder()
        input.write(commit.wireFormat)
        input.write(commit.content)
        input.writeOpaque(commit.auth.signature)
        return suite.hash(interimTranscriptHash + input.bytes)
    }

    /// The interim transcript hash from a confirmed transcript hash and the Commit's confirmation tag.
    public static func interim(suite: any CipherSuite, confirmedTranscriptHash: [UInt8],
                               confirmationTag: [UInt8]) -> [UInt8] {
        var input = MLSEncoder()
        input.writeOpaque(confirmationTag)
        return suite.hash(confirmedTranscriptHash + input.bytes)
    }
}
