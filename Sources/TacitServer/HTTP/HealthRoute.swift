import Hummingbird
import NIOCore
import TacitStore

/// `GET /health`: 200 "ok" while the store answers (within `deadline`, for a networked
/// store), 503 otherwise, so a load balancer takes a node that lost its database out of rotation.
enum HealthRoute {
    static func respond(store: any TacitStore, deadline: Duration? = nil) async -> Response {
        do {
            // A primary-key read of a device that never exists: cheap, but it reaches the database.
            if let deadline {
                _ = try await StoreDeadline.run(deadline, "the health check") { try await store.device(id: 0) }
            } else {
                _ = try await store.device(id: 0)
            }
            return text("ok\n", status: .ok)
        } catch {
            return text("store unavailable\n", status: .serviceUnavailable)
        }
    }

    static func text(_ body: String, status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}
