import Benchmark
import Foundation
import TacitWire

/// The frames of one message's way through the server: the sender's ClientFrame with a
/// SendRequest (decoded by the server), the ServerFrame pushing the Envelope to the
/// recipient (encoded by the server), each with a 64-byte body as `tacit bench messages` sends.
func wireFrameBenchmarks() {
    let send = WireFrameSamples.sendFrame
    let sendBytes = WireCoding.encode(send)
    let deliver = WireFrameSamples.deliverFrame
    let deliverBytes = WireCoding.encode(deliver)

    Benchmark("Decode ClientFrame SendRequest (64 B body, \(sendBytes.count) B frame)",
              configuration: BenchmarkSettings.frames) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try WireCoding.decode(WireClientFrame.self, from: sendBytes))
        }
    }
    Benchmark("Encode ClientFrame SendRequest (64 B body)", configuration: BenchmarkSettings.frames) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(WireCoding.encode(send))
        }
    }
    Benchmark("Encode ServerFrame Envelope push (64 B body, \(deliverBytes.count) B frame)",
              configuration: BenchmarkSettings.frames) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(WireCoding.encode(deliver))
        }
    }
    Benchmark("Decode ServerFrame Envelope push (64 B body)", configuration: BenchmarkSettings.frames) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try WireCoding.decode(WireServerFrame.self, from: deliverBytes))
        }
    }
}

/// Typical frames: ids and sizes as a two-device conversation produces them.
enum WireFrameSamples {
    static let body = Data((0..<64).map { UInt8(truncatingIfNeeded: $0 &* 37) })
    static let clientMessageID = Data((0..<16).map { UInt8($0) })

    static var sendFrame: WireClientFrame {
        var request = WireSendRequest()
        request.clientMessageID = clientMessageID
        request.recipientDeviceIds = [40_213]
        request.body = body
        var frame = WireClientFrame()
        frame.requestID = 1_234_567
        frame.body = .send(request)
        return frame
    }

    static var deliverFrame: WireServerFrame {
        var envelope = WireEnvelope()
        envelope.queueID = 98_765_432
        envelope.senderDeviceID = 40_212
        envelope.senderUsername = "alice_0042"
        envelope.clientMessageID = clientMessageID
        envelope.serverTimeMs = 1_796_000_000_000
        envelope.body = body
        var frame = WireServerFrame()
        frame.requestID = 0
        frame.body = .envelope(envelope)
        return frame
    }
}
