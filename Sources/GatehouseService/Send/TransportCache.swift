import Foundation
import GatehouseCore
import GatehouseTransports

/// Keeps one transport per configured choice, so the bridge's HTTP client is reused across sends
/// and rebuilt only when a config edit changes the transport.
final class TransportCache: @unchecked Sendable {
    // @unchecked: mutable state is behind `lock`.
    let defaultOutbox: String
    let fixed: (any MessageTransport)?
    private let lock = NSLock()
    private var current: (choice: TransportChoice, transport: any MessageTransport)?

    init(defaultOutbox: String, fixed: (any MessageTransport)? = nil) {
        self.defaultOutbox = defaultOutbox
        self.fixed = fixed
    }

    func transport(for choice: TransportChoice) throws -> any MessageTransport {
        if let fixed { return fixed }
        lock.lock()
        defer { lock.unlock() }
        if let current, current.choice == choice { return current.transport }
        let made: any MessageTransport
        switch choice {
        case .outbox(let directory): made = try OutboxTransport(directory: directory ?? defaultOutbox)
        case .bridge(let url, _): made = BridgeTransport(baseURL: url)
        }
        current = (choice, made)
        return made
    }
}
