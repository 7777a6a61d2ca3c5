import AsyncHTTPClient
import Foundation
import GatehouseCore
import NIOCore
import NIOHTTP1

/// Sends through the whatsmeow bridge's REST API, `POST {bridge_url}/send` (CONTRACTS.md §1).
///
/// One reused HTTP client; no proxy (proxy environment variables are not honoured, so a message
/// cannot be diverted by the environment), no redirects (a redirect could deliver it elsewhere).
public final class BridgeTransport: MessageTransport, @unchecked Sendable {
    // @unchecked: HTTPClient is thread-safe; the other fields are immutable.
    public let name = "bridge"
    let sendURL: String
    let client: HTTPClient
    let timeout: TimeAmount

    public init(baseURL: String, timeoutSeconds: Int64 = 30) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        sendURL = base + "/send"
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.proxy = nil
        configuration.decompression = .disabled
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        timeout = .seconds(timeoutSeconds)
    }

    deinit {
        try? client.syncShutdown()
    }

    struct SendBody: Encodable {
        let recipient: String
        let message: String
        let media_path: String?
    }

    struct Reply: Decodable {
        let success: Bool?
        let message: String?
    }

    public func send(_ send: ApprovedSend) async -> TransportResult {
        do {
            let body = SendBody(
                recipient: send.recipient.jid, message: send.attachment == nil ? (send.text ?? "") : (send.caption ?? ""),
                media_path: send.attachment?.spoolPath)
            var request = HTTPClientRequest(url: sendURL)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: Array(try JSONEncoder().encode(body))))
            let response = try await client.execute(request, timeout: timeout)
            let bytes = try await response.body.collect(upTo: 64 * 1024)
            let text = String(buffer: bytes)
            guard response.status == .ok else {
                return .failed(detail: "bridge answered HTTP \(response.status.code): \(Self.clean(text))")
            }
            guard let reply = try? JSONDecoder().decode(Reply.self, from: Data(text.utf8)), let success = reply.success else {
                return .failed(detail: "bridge answered 200 without the expected JSON: \(Self.clean(text))")
            }
            let message = Self.clean(reply.message ?? "")
            return success ? .sent(detail: message) : .failed(detail: message)
        } catch {
            return .failed(detail: "cannot reach the bridge at \(sendURL): \(Self.clean(String(describing: error)))")
        }
    }

    /// Bridge text as one line, capped. Masking numbers and redacting secrets in it is done once,
    /// for every transport, where the outcome is recorded (`TransportResult.sanitized`).
    static func clean(_ text: String) -> String {
        let out = String(
            text.trimmingCharacters(in: .whitespacesAndNewlines).map {
                $0.isNewline || $0.unicodeScalars.contains { $0.value < 0x20 } ? " " : $0
            })
        return out.count > 300 ? String(out.prefix(300)) + "…" : out
    }
}
