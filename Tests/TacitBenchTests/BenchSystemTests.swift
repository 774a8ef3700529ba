import Foundation
import Testing
@testable import TacitBench

@Suite struct ServerProcessTests {
    @Test func readsVmRSSInBytes() {
        let status = "Name:\ttacit\nVmPeak:\t  900 kB\nVmRSS:\t  123456 kB\nThreads:\t4\n"
        #expect(ServerProcess.residentBytes(status: status) == 123_456 * 1024)
        #expect(ServerProcess.residentBytes(status: "Name:\tx\n") == nil)
    }

    @Test func findsListeningSocketsOfAPortInTheTCPTable() {
        let table = """
              sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1 0
               1: 0100007F:1F90 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 4343 1 0
               2: 0100007F:1F91 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4444 1 0
            """
        #expect(ServerProcess.listeningInodes(inTable: table, port: 8080) == ["4242"])
    }

    @Test func readsThisProcessesMemory() {
        #expect((ServerProcess.residentBytes(pid: getpid()) ?? 0) > 0)
    }
}

@Suite struct PrometheusTextTests {
    @Test func findsASampleWithOrWithoutLabels() {
        let text = """
            # HELP tacit_connections_open WebSocket connections currently open
            # TYPE tacit_connections_open gauge
            tacit_connections_open 19000
            tacit_store_seconds_count{operation="enqueue"} 12
            """
        #expect(PrometheusText.value(of: "tacit_connections_open", in: text) == 19_000)
        #expect(PrometheusText.value(of: "tacit_store_seconds_count", in: text) == 12)
        #expect(PrometheusText.value(of: "tacit_missing", in: text) == nil)
    }
}

@Suite struct BenchOptionsTests {
    @Test func sharesSpreadACountEvenlyOverWorkers() {
        let server = BenchServerAddress(host: "127.0.0.1", port: 1)
        #expect(ConnectionsOptions(servers: [server], count: 19_000, perWorker: 5_000).shares == [4_750, 4_750, 4_750, 4_750])
        #expect(ConnectionsOptions(servers: [server], count: 7, perWorker: 3).shares == [3, 2, 2])
        #expect(ConnectionsOptions(servers: [server], count: 2, perWorker: 5_000).shares == [2])
    }

    @Test func serverAddressesAreLoopbackOnly() throws {
        #expect(try BenchServerAddress(parsing: "ws://127.0.0.1:8080") == BenchServerAddress(host: "127.0.0.1", port: 8080))
        #expect(try BenchServerAddress(parsing: "http://localhost:9") == BenchServerAddress(host: "127.0.0.1", port: 9))
        #expect(throws: BenchServerAddress.Invalid.self) { try BenchServerAddress(parsing: "ws://example.com:8080") }
        #expect(throws: BenchServerAddress.Invalid.self) { try BenchServerAddress(parsing: "wss://127.0.0.1:8443") }
    }

    @Test func severalServersComeRepeatedOrCommaSeparated() throws {
        let list = try BenchServerAddress.list(parsing: ["ws://127.0.0.1:8080, ws://127.0.0.1:8081", "ws://127.0.0.2:9"])
        #expect(list == [BenchServerAddress(host: "127.0.0.1", port: 8080), BenchServerAddress(host: "127.0.0.1", port: 8081),
                         BenchServerAddress(host: "127.0.0.2", port: 9)])
        #expect(throws: BenchServerAddress.Invalid.self) { try BenchServerAddress.list(parsing: []) }
        #expect(throws: BenchServerAddress.Invalid.self) { try BenchServerAddress.list(parsing: ["ws://127.0.0.1:1,ws://example.com:2"]) }
    }

    @Test func runsAreBounded() {
        let server = BenchServerAddress(host: "127.0.0.1", port: 1)
        #expect(throws: BenchError.self) { try MessagesOptions(servers: [server], pairs: 0, load: .window(1)).validate() }
        #expect(throws: BenchError.self) { try MessagesOptions(servers: [server], pairs: 1, load: .window(1), duration: 10_000).validate() }
        #expect(throws: BenchError.self) { try GroupOptions(servers: [server], members: 6_000).validate() }
        #expect(throws: BenchError.self) { try ConnectionsOptions(servers: [server], count: 10, perWorker: 20_000).validate() }
        #expect(throws: BenchError.self) { try MessagesOptions(servers: [], pairs: 1, load: .window(1)).validate() }
    }

    @Test func workerMessagesRoundTripAsOneLine() throws {
        let message = WorkerMessage(event: .connected, count: 2,
                                    connected: .init(connected: 2, failed: 0, latenciesMicros: [10, 20], firstError: nil))
        #expect(!message.line.contains("\n"))
        #expect(try WorkerMessage(line: message.line) == message)
    }

    @Test func tablesAlignTheirValues() {
        let text = ReportTable(title: "t", rows: [("a", "1"), ("longer", "2")]).text
        #expect(text == "t\n---------\na       1\nlonger  2\n")
        #expect(Figures.count(1_234_567) == "1,234,567")
    }
}
