import Hummingbird
import NIOCore
import Prometheus

/// `GET /metrics`: the registry in the Prometheus text exposition format.
enum MetricsRoute {
    static func respond(registry: PrometheusCollectorRegistry) -> Response {
        Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                 body: ResponseBody(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
    }
}
