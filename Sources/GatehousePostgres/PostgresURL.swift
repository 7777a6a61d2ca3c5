import Foundation
import PostgresNIO

/// Where the store lives: `postgres://user[:password]@host[:port]/database[?sslmode=disable|require]`.
///
/// `postgresql://` works too. TLS is off unless `sslmode=require`, which then also verifies the
/// server's certificate and name (NIOSSL's default client configuration, as libpq's `verify-full`).
/// The password never appears in ``redacted`` nor in any error message.
struct PostgresURL: Sendable {
    var host: String
    var port: Int
    var username: String
    var password: String?
    var database: String
    var requireTLS: Bool

    init(_ text: String) throws {
        // The text may hold a password: no message below quotes it.
        guard let components = URLComponents(string: text) else {
            throw PostgresStoreError("the database URL is not a URL; write postgres://user:password@host:port/database")
        }
        guard let scheme = components.scheme?.lowercased(), scheme == "postgres" || scheme == "postgresql" else {
            throw PostgresStoreError("the database URL must start with postgres:// or postgresql://")
        }
        guard var host = components.host, !host.isEmpty else {
            throw PostgresStoreError(
                "the database URL names no host; write postgres://user:password@host:port/database")
        }
        // An IPv6 literal comes bracketed, as a URL must write it; the socket layer wants it bare.
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard let username = components.user, !username.isEmpty else {
            throw PostgresStoreError(
                "the database URL names no user; write postgres://user:password@host:port/database")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else {
            throw PostgresStoreError(
                "the database URL must name one database after the host, as in postgres://user@host/gatehouse")
        }
        var requireTLS = false
        for item in components.queryItems ?? [] {
            switch (item.name, item.value) {
            case ("sslmode", "disable"): requireTLS = false
            case ("sslmode", "require"): requireTLS = true
            case ("sslmode", _):
                throw PostgresStoreError("the database URL's sslmode must be disable or require")
            default:
                // Refused rather than ignored: an option the operator relies on must not be dropped silently.
                throw PostgresStoreError(
                    "the database URL has an unsupported option '\(item.name)'; only sslmode is understood")
            }
        }
        self.host = host
        self.port = components.port ?? 5432
        self.username = username
        self.password = components.password
        self.database = database
        self.requireTLS = requireTLS
    }

    /// The URL without its password, for messages.
    var redacted: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "postgres://\(username)@\(shownHost):\(port)/\(database)"
    }

    /// synchronous_commit is sent at startup, so every connection of the pool has it whatever the
    /// role or database defaults say (startup parameters override those).
    static let startupParameters = [("synchronous_commit", "on")]

    var clientConfiguration: PostgresClient.Configuration {
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database,
            tls: requireTLS ? .require(.makeClientConfiguration()) : .disable)
        configuration.options.additionalStartupParameters = Self.startupParameters
        // Writers queue on one row lock (the audit head), so more connections would only wait there.
        configuration.options.maximumConnections = 8
        return configuration
    }

    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS =
            requireTLS ? .require(try NIOSSLContext(configuration: .makeClientConfiguration())) : .disable
        var configuration = PostgresConnection.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: tls)
        configuration.options.additionalStartupParameters = Self.startupParameters
        return configuration
    }
}
