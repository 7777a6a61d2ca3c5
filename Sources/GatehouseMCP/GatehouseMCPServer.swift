import Foundation
import GatehouseService
import Logging
import MCP

/// The MCP surface: advertises the tools, validates arguments, and turns every outcome into a
/// tool result. Nothing thrown reaches the client as a JSON-RPC internal error.
public enum GatehouseMCPServer {
    public static let version = "0.1.0"

    public static func make(service: GatehouseService) async -> Server {
        let server = Server(
            name: "gatehouse", version: version, title: "Gatehouse: governed WhatsApp",
            instructions: """
                Every send passes an allowlist, a secret scan, file checks, rate limits and, where policy \
                asks, a confirmation: call wa_preview first and pass its confirm_token. Refusals explain why.
                """,
            capabilities: .init(tools: .init(listChanged: false)))
        let tools = Dictionary(uniqueKeysWithValues: GatehouseTool.all.map { ($0.name, $0) })
        await server.withMethodHandler(ListTools.self) { _ in
            ListTools.Result(tools: GatehouseTool.all.map(\.tool))
        }
        await server.withMethodHandler(CallTool.self) { params in
            guard let tool = tools[params.name] else {
                return .refusal("Unknown tool '\(ArgumentSpec.shown(params.name))'. Tools: \(tools.keys.sorted().joined(separator: ", "))", structured: nil)
            }
            switch tool.arguments.validate(params.arguments) {
            case .failure(let error):
                let text = "Invalid arguments for \(tool.name): \(error.message)"
                return .refusal(text, structured: tool.refused(text, service))
            case .success(let arguments):
                return await tool.run(arguments, service)
            }
        }
        return server
    }

    /// Serves on stdin/stdout until the client closes stdin.
    public static func serveStdio(service: GatehouseService, logger: Logger) async throws {
        let server = await make(service: service)
        try await server.start(transport: LineStdioTransport(logger: logger))
        await server.waitUntilCompleted()
    }
}
