import Foundation

/// Checks a `bridge_url` and tells whether it points at this machine.
///
/// The whatsmeow bridge has no authentication and no TLS (CONTRACTS.md §1), so a bridge that is
/// not on loopback lets anyone on that network send as the owner.
public enum BridgeAddress {
    public static func check(_ text: String) -> Result<Bool, Problem> {
        guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
            let host = url.host, !host.isEmpty
        else {
            return .failure(Problem("expected an http:// or https:// URL with a host, such as http://127.0.0.1:8080/api"))
        }
        if let port = url.port, !(1...65_535).contains(port) {
            return .failure(Problem("port \(port) is not a TCP port (1-65535)"))
        }
        guard url.user == nil, url.password == nil, url.query == nil, url.fragment == nil else {
            return .failure(Problem("the URL must not carry credentials, a query or a fragment"))
        }
        return .success(isLoopback(host))
    }

    public static func isLoopback(_ host: String) -> Bool {
        let host = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if host == "localhost" || host == "::1" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }
}

extension BridgeAddress {
    public struct Problem: Error, CustomStringConvertible {
        public let description: String
        public init(_ description: String) { self.description = description }
    }
}
