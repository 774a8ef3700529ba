import Prometheus

/// The server's own metrics, registered in the registry that `/metrics` serves.
///
/// - `tacit_connections_open`: WebSocket connections currently open.
/// - `tacit_messages_received_total`: sends stored (retries not counted twice).
/// - `tacit_messages_delivered_total`: envelopes pushed to devices.
/// - `tacit_queue_depth`: queued entries across all devices (refreshed by maintenance).
/// - `tacit_requests_rate_limited_total`: frames refused because a connection sent too fast.
/// - `tacit_authentication_failures_total`: handshakes that ended in a refusal.
///
/// The store's latency (`tacit_store_seconds`) comes from the store itself, through the
/// swift-metrics factory it was opened with.
struct ServerMetrics: Sendable {
    let registry: PrometheusCollectorRegistry
    let openConnections: Gauge
    let messagesReceived: Counter
    let messagesDelivered: Counter
    let queueDepth: Gauge
    let rateLimited: Counter
    let authenticationFailures: Counter

    init(registry: PrometheusCollectorRegistry) {
        func name(_ metric: String, unit: String, help: String) -> MetricNameDescriptor {
            MetricNameDescriptor(namespace: "tacit", metricName: metric, unitName: unit, helpText: help)
        }
        self.registry = registry
        openConnections = registry.makeGauge(descriptor: name("connections_open", unit: "",
                                                              help: "WebSocket connections currently open"))
        messagesReceived = registry.makeCounter(descriptor: name("messages_received", unit: "total",
                                                                 help: "Messages stored for delivery"))
        messagesDelivered = registry.makeCounter(descriptor: name("messages_delivered", unit: "total",
                                                                  help: "Envelopes pushed to devices"))
        queueDepth = registry.makeGauge(descriptor: name("queue_depth", unit: "",
                                                         help: "Queued entries across all devices"))
        rateLimited = registry.makeCounter(descriptor: name(
            "requests_rate_limited", unit: "total", help: "Frames refused because their connection sent too fast"))
        authenticationFailures = registry.makeCounter(descriptor: name(
            "authentication_failures", unit: "total", help: "Authentication attempts that were refused"))
    }
}
