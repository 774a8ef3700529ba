import Configuration
import TacitServer

extension ServerSettings {
    /// The per-connection request rate and the keep-alive interval. A load test
    /// (`tacit bench`) raises the rate limit: one benchmark device sends thousands of
    /// requests a second, which the default (200/s, bursts of 400) would refuse.
    static func resolveLimits(_ reader: ConfigReader, into configuration: inout ServerConfiguration,
                              defaults: ServerConfiguration) async throws {
        let rate = try await reader.fetchDouble(forKey: "rateLimitPerSecond",
                                                default: defaults.rateLimit.requestsPerSecond)
        // Without an explicit burst, keep the default's ratio: two seconds' worth.
        let burst = try await reader.fetchDouble(forKey: "rateLimitBurst",
                                                 default: max(defaults.rateLimit.burst, 2 * rate))
        guard rate > 0, rate.isFinite else { throw Problem.invalid("the rate limit must be a positive number of requests per second") }
        guard burst >= 1, burst.isFinite else { throw Problem.invalid("the rate limit burst must be at least 1") }
        configuration.rateLimit = .init(requestsPerSecond: rate, burst: burst)
        let keepalive = try await reader.fetchDouble(forKey: "keepaliveSeconds",
                                                     default: defaults.keepaliveInterval.secondsValue)
        guard keepalive > 0, keepalive <= 24 * 60 * 60 else {
            throw Problem.invalid("the keep-alive interval must be more than 0 and at most 86400 seconds")
        }
        configuration.keepaliveInterval = .milliseconds(Int64((keepalive * 1000).rounded()))
    }
}
