import Prometheus

/// The server's own metrics, registered in the registry that `/metrics` serves.
///
/// - `tacit_connections_open`: WebSocket connections currently open.
/// - `tacit_messages_received_total`: sends stored (retries not counted twice).
/// - `tacit_messages_delivered_total`: envelopes pushed to devices.
/// - `tacit_queue_depth`: queued entries across all devices (refreshed by maintenance).
/// - `tacit_requests_rate_limited_total`: frames refused because a connection sent too fast.
/// - `tacit_authentication_failures_total`: handshakes that ended in a refusal.
/// - `tacit_key_packages_claimed_total`: KeyPackages handed out (one-time and last resort).
/// - `tacit_key_packages_last_resort_claimed_total`: of those, last-resort ones.
/// - `tacit_epoch_commits_total`: epoch claims that won (one per group epoch).
/// - `tacit_stale_epochs_total`: epoch claims that lost a race (`STALE_EPOCH`).
/// - `tacit_epoch_token_mismatches_total`: epoch claims with a wrong token (`FORBIDDEN`).
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
    let keyPackagesClaimed: Counter
    let lastResortKeyPackagesClaimed: Counter
    let epochCommits: Counter
    let staleEpochs: Counter
    let epochTokenMismatches: Counter

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
        keyPackagesClaimed = registry.makeCounter(descriptor: name(
            "key_packages_claimed", unit: "total", help: "KeyPackages handed out by claims"))
        lastResortKeyPackagesClaimed = registry.makeCounter(descriptor: name(
            "key_packages_last_resort_claimed", unit: "total", help: "Last-resort KeyPackages handed out by claims"))
        epochCommits = registry.makeCounter(descriptor: name(
            "epoch_commits", unit: "total", help: "Epoch claims that won (one commit per group epoch)"))
        staleEpochs = registry.makeCounter(descriptor: name(
            "stale_epochs", unit: "total", help: "Epoch claims refused because the group's epoch had moved on"))
        epochTokenMismatches = registry.makeCounter(descriptor: name(
            "epoch_token_mismatches", unit: "total", help: "Epoch claims refused because of a wrong epoch token"))
    }
}
