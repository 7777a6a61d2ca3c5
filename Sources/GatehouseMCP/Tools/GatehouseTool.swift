import GatehouseService
import MCP

/// One MCP tool: what it advertises, what arguments it takes, and what it does with them.
struct GatehouseTool: Sendable {
    let name: String
    let description: String
    let annotations: Tool.Annotations
    let arguments: ArgumentSpec
    let outputSchema: Value
    let run: @Sendable (ToolArguments, GatehouseService) async -> CallTool.Result
    /// The structured result of a call refused before it ran (bad arguments), in this tool's schema.
    let refused: @Sendable (String, GatehouseService) -> Value

    var tool: Tool {
        Tool(
            name: name, description: description, inputSchema: arguments.schema, annotations: annotations,
            outputSchema: outputSchema)
    }

    static let all: [GatehouseTool] = [.listRecipients, .preview, .sendMessage, .sendFile, .auditTail, .inbox, .listChats]
}

extension CallTool.Result {
    /// A refusal the agent can act on: text plus the same structure as a success.
    static func refusal(_ text: String, structured: Value?) -> CallTool.Result {
        let content: [Tool.Content] = [.text(text: text, annotations: nil, _meta: nil)]
        let structuredContent: Value? = structured
        return CallTool.Result(content: content, structuredContent: structuredContent, isError: true)
    }

    static func success(_ text: String, structured: Value) -> CallTool.Result {
        let content: [Tool.Content] = [.text(text: text, annotations: nil, _meta: nil)]
        let structuredContent: Value? = structured
        return CallTool.Result(content: content, structuredContent: structuredContent, isError: false)
    }
}
