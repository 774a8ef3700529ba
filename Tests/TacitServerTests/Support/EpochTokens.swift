import Crypto

/// Stand-ins for the epoch tokens members derive from MLS exporter secrets.
enum EpochTokens {
    static func token(_ group: [UInt8], _ epoch: UInt64) -> [UInt8] {
        Array("token of epoch \(epoch) of ".utf8) + group
    }

    static func hash(_ token: [UInt8]) -> [UInt8] {
        Array(SHA256.hash(data: token))
    }
}
