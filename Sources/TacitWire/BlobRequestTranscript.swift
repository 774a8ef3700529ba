import Foundation

/// What a device signs to authenticate one HTTP request to the blob service, and the
/// `Authorization` header that carries the signature. Client and server both build the
/// signed bytes here so they can never disagree.
///
/// ```
/// Authorization: Tacit device=<id>, ts=<ms>, nonce=<base64url 16 bytes>, sig=<base64url 64 bytes>
///
/// signed = "tacit-blob-request-v1"
///       || field(serverKey) || u64(deviceID) || u64(timestampMs) || field(nonce)
///       || field(method) || field(path)
///       || header(upload-length) || header(upload-offset) || header(range)
///       || header(tacit-fetch-count) || header(tacit-blob-sha256)
/// field(x)  = u32(len(x)) || x
/// header(v) = 0x00 when absent, 0x01 || field(v) when present
/// ```
///
/// Integers are big-endian. The server key ties a signature to one server, the timestamp
/// bounds its life (the server allows a skew window), and the nonce lets the server refuse a
/// replay within that window. The body is not signed (an upload is streamed); what protects
/// it is the client's own encryption and the SHA-256 it gives when finishing the upload.
public struct BlobRequestTranscript: Sendable, Equatable {
    /// The request headers covered by the signature, in signing order (lowercase names).
    public static let signedHeaderNames = [
        "upload-length", "upload-offset", "range", "tacit-fetch-count", "tacit-blob-sha256",
    ]
    /// Length of the per-request nonce.
    public static let nonceLength = 16

    public var method: String
    /// The request target: path and query, exactly as sent on the request line.
    public var path: String
    public var deviceID: UInt64
    public var timestampMs: UInt64
    public var nonce: [UInt8]
    /// Values of ``signedHeaderNames`` that the request carries, keyed by lowercase name.
    public var headers: [String: String]

    public init(method: String, path: String, deviceID: UInt64, timestampMs: UInt64, nonce: [UInt8],
                headers: [String: String]) {
        self.method = method
        self.path = path
        self.deviceID = deviceID
        self.timestampMs = timestampMs
        self.nonce = nonce
        self.headers = headers
    }

    /// The bytes the device signs for a server whose identity key is `serverKey`.
    public func signedBytes(serverKey: some Collection<UInt8>) -> [UInt8] {
        var bytes = Array("tacit-blob-request-v1".utf8)
        func field(_ value: some Collection<UInt8>) {
            bytes += withUnsafeBytes(of: UInt32(truncatingIfNeeded: value.count).bigEndian, Array.init)
            bytes += value
        }
        field(serverKey)
        bytes += withUnsafeBytes(of: deviceID.bigEndian, Array.init)
        bytes += withUnsafeBytes(of: timestampMs.bigEndian, Array.init)
        field(nonce)
        field(Array(method.utf8))
        field(Array(path.utf8))
        for name in Self.signedHeaderNames {
            if let value = headers[name] {
                bytes.append(1)
                field(Array(value.utf8))
            } else {
                bytes.append(0)
            }
        }
        return bytes
    }
}

/// The parsed `Authorization: Tacit ...` header of a blob request.
public struct BlobAuthorization: Sendable, Equatable {
    public var deviceID: UInt64
    public var timestampMs: UInt64
    public var nonce: [UInt8]
    public var signature: [UInt8]

    public init(deviceID: UInt64, timestampMs: UInt64, nonce: [UInt8], signature: [UInt8]) {
        self.deviceID = deviceID
        self.timestampMs = timestampMs
        self.nonce = nonce
        self.signature = signature
    }

    /// The header value, such as `Tacit device=7, ts=1733097600000, nonce=..., sig=...`.
    public var headerValue: String {
        "Tacit device=\(deviceID), ts=\(timestampMs), nonce=\(Self.base64URL(nonce)), sig=\(Self.base64URL(signature))"
    }

    /// Parses a header value; `nil` unless it is the `Tacit` scheme with exactly the four
    /// parameters, each once, the nonce 16 bytes and the signature 64.
    public init?(headerValue: String) {
        guard headerValue.hasPrefix("Tacit ") else { return nil }
        var values: [String: String] = [:]
        for part in headerValue.dropFirst(6).split(separator: ",") {
            let pair = part.trimmingCharacters(in: .whitespaces)
            guard let equals = pair.firstIndex(of: "=") else { return nil }
            let name = String(pair[..<equals])
            guard values[name] == nil else { return nil }
            values[name] = String(pair[pair.index(after: equals)...])
        }
        guard values.count == 4,
              let device = values["device"].flatMap({ UInt64($0) }),
              let timestamp = values["ts"].flatMap({ UInt64($0) }),
              let nonce = values["nonce"].flatMap(Self.decodeBase64URL), nonce.count == BlobRequestTranscript.nonceLength,
              let signature = values["sig"].flatMap(Self.decodeBase64URL), signature.count == 64
        else { return nil }
        self.init(deviceID: device, timestampMs: timestamp, nonce: nonce, signature: signature)
    }

    static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decodeBase64URL(_ text: String) -> [UInt8]? {
        guard text.utf8.count <= 128 else { return nil }
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while standard.utf8.count % 4 != 0 { standard += "=" }
        return Data(base64Encoded: standard).map(Array.init)
    }
}

/// Paths and header names of the blob service, shared by client and server.
public enum BlobHTTP {
    /// Collection path: `POST` here starts an upload.
    public static let collectionPath = "/v1/blobs"
    /// The path of one blob.
    public static func path(of id: String) -> String { "\(collectionPath)/\(id)" }

    public static let uploadLength = "Upload-Length"
    public static let uploadOffset = "Upload-Offset"
    /// How many recipient devices will fetch the blob (0: expire by age only).
    public static let fetchCount = "Tacit-Fetch-Count"
    /// Hex SHA-256 of the whole blob, given when finishing an upload.
    public static let blobSHA256 = "Tacit-Blob-SHA256"
    /// `uploading` or `complete`, on `HEAD` answers.
    public static let blobState = "Tacit-Blob-State"
    /// A short machine-readable error code on every error answer, such as `offset-mismatch`.
    public static let errorCode = "Tacit-Error"
}
