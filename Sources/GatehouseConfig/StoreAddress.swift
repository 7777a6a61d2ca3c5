import Foundation
import GatehouseCore

/// Checks a `store` value (or `GATEHOUSE_STORE_URL`): `sqlite` for the embedded file, or a
/// `postgres://` / `postgresql://` URL naming a host and a database.
///
/// Problems never repeat the URL: it may carry a password.
public enum StoreAddress {
    public static func parse(_ text: String) -> Result<StoreChoice, BridgeAddress.Problem> {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.lowercased() == "sqlite" { return .success(.sqlite) }
        guard let url = URLComponents(string: trimmed), let scheme = url.scheme?.lowercased() else {
            return .failure(.init("expected `sqlite` or a postgres://user@host:port/database URL"))
        }
        guard ["postgres", "postgresql"].contains(scheme) else {
            return .failure(.init("unknown store scheme '\(scheme)'; expected `sqlite` or postgres://"))
        }
        guard let host = url.host, !host.isEmpty else { return .failure(.init("the postgres URL names no host")) }
        if let port = url.port, !(1...65_535).contains(port) {
            return .failure(.init("port \(port) is not a TCP port (1-65535)"))
        }
        let database = url.path.hasPrefix("/") ? String(url.path.dropFirst()) : url.path
        guard !database.isEmpty, !database.contains("/") else {
            return .failure(.init("the postgres URL names no database (postgres://user@host:5432/DATABASE)"))
        }
        guard url.user.map({ !$0.isEmpty }) ?? false else {
            return .failure(.init("the postgres URL names no user (postgres://USER@host:5432/database)"))
        }
        return .success(.postgres(url: trimmed))
    }
}
