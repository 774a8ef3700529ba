import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// nginx in front of the nodes, as the README's deployment section configures it: its own
/// configuration and prefix directory, in the foreground as a child process, on loopback.
final class NginxProxy: Sendable {
    let port: Int
    let directory: URL
    private let child: ChildProcess

    private init(port: Int, directory: URL, child: ChildProcess) {
        self.port = port
        self.directory = directory
        self.child = child
    }

    var url: String { "ws://127.0.0.1:\(port)" }

    static func executable() throws -> String {
        for path in ["/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx"]
        where FileManager.default.isExecutableFile(atPath: path) {
            return path
        }
        throw MissingTool(description: "nginx is not installed (scripts/test installs Debian's nginx-light)")
    }

    /// The configuration of the README's deployment section, for `upstreams` and `port`.
    static func configuration(port: Int, upstreams: [Int], directory: URL) -> String {
        let servers = upstreams.map { "        server 127.0.0.1:\($0) max_fails=1 fail_timeout=5s;" }
            .joined(separator: "\n")
        let prefix = directory.path
        return """
            worker_processes 1;
            daemon off;
            pid \(prefix)/nginx.pid;
            error_log \(prefix)/error.log warn;
            events { worker_connections 1024; }
            http {
                access_log off;
                client_body_temp_path \(prefix)/client_body;
                proxy_temp_path \(prefix)/proxy;
                fastcgi_temp_path \(prefix)/fastcgi;
                uwsgi_temp_path \(prefix)/uwsgi;
                scgi_temp_path \(prefix)/scgi;

                map $http_upgrade $connection_upgrade {
                    default upgrade;
                    ''      close;
                }
                upstream tacit {
            \(servers)
                }
                server {
                    listen 127.0.0.1:\(port);
                    location / {
                        proxy_pass http://tacit;
                        proxy_http_version 1.1;
                        proxy_set_header Upgrade $http_upgrade;
                        proxy_set_header Connection $connection_upgrade;
                        proxy_set_header Host $host;
                        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                        proxy_read_timeout 1h;
                        proxy_send_timeout 1h;
                        proxy_buffering off;
                    }
                }
            }

            """
    }

    static func start(upstreams: [Int]) async throws -> NginxProxy {
        let nginx = try executable()
        let directory = temporaryDirectory("nginx")
        var lastOutput = ""
        for _ in 0..<5 {
            let port = try freePort()
            let file = directory.appendingPathComponent("nginx.conf")
            try configuration(port: port, upstreams: upstreams, directory: directory)
                .write(to: file, atomically: true, encoding: .utf8)
            let child = try ChildProcess(executable: URL(fileURLWithPath: nginx),
                                         arguments: ["-p", directory.path, "-c", file.path])
            let proxy = NginxProxy(port: port, directory: directory, child: child)
            let deadline = ContinuousClock.now + .seconds(20)
            while ContinuousClock.now < deadline, child.isRunning {
                if await HTTPGet.health(port: port, timeout: 2) != 0 { return proxy }
                try await Task.sleep(for: .milliseconds(50))
            }
            lastOutput = child.output.text
                + ((try? String(contentsOf: directory.appendingPathComponent("error.log"), encoding: .utf8)) ?? "")
            await child.kill(SIGTERM)
        }
        throw MissingTool(description: "nginx did not start: \(lastOutput)")
    }

    /// SIGQUIT: nginx's graceful stop.
    func stop() async {
        await child.kill(SIGQUIT)
    }

    /// A port nothing listens on right now.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw MissingTool(description: "socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                bind(fd, raw, length) == 0 && getsockname(fd, raw, &length) == 0
            }
        }
        guard bound else { throw MissingTool(description: "bind() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
