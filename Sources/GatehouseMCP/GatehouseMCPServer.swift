import Foundation
import GatehouseCore
import GatehouseService
import Logging
import MCP

/// The MCP surface over stdio: JSON-RPC lifecycle, tool listing and tool calls.
///
/// Messages are parsed with Gatehouse's own linear JSON parser rather than the SDK's `Server`:
/// the SDK decodes every string argument through a Swift `Regex` it compiles per value (to spot
/// data URLs), which cost more than the whole gate and scaled with the message size. Tool
/// definitions and results still use the SDK's types, so the wire format is the SDK's.
/// Nothing thrown reaches the client as a JSON-RPC internal error.
public enum GatehouseMCPServer {
    public static let version = "0.1.0"
    /// Newest first; a client asking for another version is answered with the newest.
    static let maximumInFlight = 16
    static let protocolVersions = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"]
    static let instructions = """
        Every send passes an allowlist, a secret scan, file checks, rate limits and, where policy \
        asks, a confirmation: call wa_preview first and pass its confirm_token. Refusals explain why.
        """

    /// Serves on stdin/stdout until the client closes stdin; every request is answered first.
    public static func serveStdio(service: GatehouseService, logger: Logger) async throws {
        let transport = LineStdioTransport(logger: logger)
        try await transport.connect()
        let dispatcher = Dispatcher(service: service)
        await withTaskGroup(of: Void.self) { group in
            var inFlight = 0
            for await line in await transport.receive().ignoringErrors() {
                // Backpressure: at most `maximumInFlight` calls at once; reading stdin waits meanwhile.
                if inFlight >= maximumInFlight {
                    await group.next()
                    inFlight -= 1
                }
                inFlight += 1
                // Tool calls run concurrently (a slow bridge must not hold up a ping); the store
                // serialises state. The group waits for every call, so closing stdin after the last
                // request still gets every reply.
                group.addTask {
                    guard let reply = await dispatcher.handle(line: line) else { return }
                    try? await transport.send(Data(reply.canonical.utf8))
                }
            }
        }
    }

    /// Answers one JSON-RPC message; nil for notifications and for replies from the client.
    struct Dispatcher: Sendable {
        let service: GatehouseService
        let tools: [String: GatehouseTool]
        let toolList: JSONValue

        init(service: GatehouseService) {
            self.service = service
            tools = Dictionary(uniqueKeysWithValues: GatehouseTool.all.map { ($0.name, $0) })
            toolList = .object(["tools": .array(GatehouseTool.all.map { JSONBridge.json(JSONBridge.value(of: $0.tool)) })])
        }

        func handle(line: Data) async -> JSONValue? {
            guard let message = JSONParser.parse(String(decoding: line, as: UTF8.self)) else {
                return Self.error(id: .null, code: -32700, "parse error: each line must be one JSON-RPC message (a JSON object)")
            }
            return await handle(message)
        }

        func handle(_ message: JSONValue) async -> JSONValue? {
            guard case .object(let fields) = message else {
                return Self.error(id: .null, code: -32600, "batches are not supported; send one JSON-RPC message per line")
            }
            let id = fields["id"]
            guard let method = fields["method"]?.stringValue else {
                // A reply from the client (we send no requests) or something else: not ours to answer.
                if fields["result"] != nil || fields["error"] != nil { return nil }
                return Self.error(id: id ?? .null, code: -32600, "invalid request: no method")
            }
            guard let id else { return nil }  // a notification (initialized, cancelled, ...)
            switch id {
            case .string, .int: break
            default: return Self.error(id: .null, code: -32600, "invalid request: id must be a string or an integer")
            }
            guard fields["jsonrpc"]?.stringValue == "2.0" else {
                return Self.error(id: id, code: -32600, "invalid request: jsonrpc must be \"2.0\"")
            }
            let params = fields["params"] ?? .object([:])
            guard case .object = params else {
                return Self.error(id: id, code: -32602, "invalid params: params must be an object")
            }
            switch method {
            case "initialize": return Self.result(id: id, initialize(params))
            case "ping": return Self.result(id: id, .object([:]))
            case "tools/list": return Self.result(id: id, toolList)
            case "tools/call":
                guard params["name"]?.stringValue != nil else {
                    return Self.error(id: id, code: -32602, "invalid params: tools/call needs a tool name")
                }
                return Self.result(id: id, await call(params))
            default: return Self.error(id: id, code: -32601, "method not found: \(ArgumentSpec.shown(method))")
            }
        }

        func initialize(_ params: JSONValue) -> JSONValue {
            let asked = params["protocolVersion"]?.stringValue ?? ""
            let version = GatehouseMCPServer.protocolVersions.contains(asked) ? asked : GatehouseMCPServer.protocolVersions[0]
            return .object([
                "protocolVersion": .string(version),
                "capabilities": .object(["tools": .object(["listChanged": .bool(false)])]),
                "serverInfo": .object([
                    "name": .string("gatehouse"), "version": .string(GatehouseMCPServer.version),
                    "title": .string("Gatehouse: governed WhatsApp"),
                ]),
                "instructions": .string(GatehouseMCPServer.instructions),
            ])
        }

        func call(_ params: JSONValue) async -> JSONValue {
            let name = params["name"]?.stringValue ?? ""
            guard let tool = tools[name] else {
                let known = tools.keys.sorted().joined(separator: ", ")
                return JSONBridge.json(of: .refusal("Unknown tool '\(ArgumentSpec.shown(name))'. Tools: \(known)", structured: nil))
            }
            let arguments: [String: Value]?
            switch params["arguments"] {
            case nil, .null?: arguments = nil
            case .object(let members)?: arguments = members.mapValues(JSONBridge.value)
            default:
                let text = "Invalid arguments for \(tool.name): arguments must be an object"
                return JSONBridge.json(of: .refusal(text, structured: tool.refused(text, service)))
            }
            switch tool.arguments.validate(arguments) {
            case .failure(let error):
                let text = "Invalid arguments for \(tool.name): \(error.message)"
                return JSONBridge.json(of: .refusal(text, structured: tool.refused(text, service)))
            case .success(let validated):
                return JSONBridge.json(of: await tool.run(validated, service))
            }
        }

        static func result(id: JSONValue, _ result: JSONValue) -> JSONValue {
            .object(["jsonrpc": .string("2.0"), "id": id, "result": result])
        }

        static func error(id: JSONValue, code: Int, _ message: String) -> JSONValue {
            .object(["jsonrpc": .string("2.0"), "id": id, "error": .object(["code": .int(code), "message": .string(message)])])
        }
    }
}

/// Converts between the SDK's `Value` (tool definitions and results) and Gatehouse's `JSONValue`
/// (parsing and rendering), without the SDK's per-string data-URL regex.
enum JSONBridge {
    static func value(_ json: JSONValue) -> Value {
        switch json {
        case .null: return .null
        case .bool(let value): return .bool(value)
        case .int(let value): return .int(value)
        case .double(let value): return .double(value)
        case .string(let value): return .string(value)
        case .array(let values): return .array(values.map(value))
        case .object(let members): return .object(members.mapValues(value))
        }
    }

    static func json(_ value: Value) -> JSONValue {
        switch value {
        case .null: return .null
        case .bool(let bool): return .bool(bool)
        case .int(let int): return .int(int)
        case .double(let double): return .double(double)
        case .string(let string): return .string(string)
        case .data(let mimeType, let data): return .string(data.dataURLEncoded(mimeType: mimeType))
        case .array(let values): return .array(values.map(json))
        case .object(let members): return .object(members.mapValues(json))
        }
    }

    /// A tool definition as the SDK would send it (encoded once, at start).
    static func value(of tool: Tool) -> Value {
        (try? JSONDecoder().decode(Value.self, from: JSONEncoder().encode(tool))) ?? .null
    }

    static func json(of result: CallTool.Result) -> JSONValue {
        var members: [String: JSONValue] = [
            "content": .array(
                result.content.compactMap { content in
                    guard case .text(let text, _, _) = content else { return nil }
                    return .object(["type": .string("text"), "text": .string(text)])
                }),
            "isError": .bool(result.isError ?? false),
        ]
        if let structured = result.structuredContent { members["structuredContent"] = json(structured) }
        return .object(members)
    }
}

extension AsyncThrowingStream where Element == Data {
    /// The lines until the stream ends; a transport error ends them too (and is the reader's to log).
    func ignoringErrors() -> AsyncStream<Data> {
        AsyncStream { continuation in
            let task = Task {
                do {
                    for try await element in self { continuation.yield(element) }
                } catch {}
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
