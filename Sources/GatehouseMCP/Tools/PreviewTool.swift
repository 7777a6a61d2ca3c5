import GatehouseCore
import GatehouseService
import MCP

extension GatehouseTool {
    static let preview = GatehouseTool(
        name: "wa_preview",
        description: """
            Dry-run a send: run every check and report exactly what WOULD happen, without sending. When the \
            send needs confirmation, returns a `confirm_token` bound to exactly this recipient, content and file, \
            valid for a few minutes and once. With a file, `caption` (or `message`) is the caption.
            """,
        annotations: .init(title: "Preview a send", readOnlyHint: true, openWorldHint: false),
        arguments: ArgumentSpec(properties: [
            .init(name: "recipient", kind: .string(maxLength: 256), required: true, description: "A listed name, a phone number or a JID"),
            .init(name: "message", kind: .string(maxLength: ToolLimits.message), required: false, description: "The text to send"),
            .init(name: "file_path", kind: .string(maxLength: ToolLimits.path), required: false, description: "Absolute path of a file to send"),
            .init(name: "caption", kind: .string(maxLength: ToolLimits.caption), required: false, description: "Caption for the file"),
        ]),
        outputSchema: Schema.object(
            SendReport.commonSchema.merging([
                "ok": Schema.boolean, "decision": Schema.string, "confirm_token": Schema.nullableString,
                "confirm_expires_at": Schema.nullableString,
            ]) { $1 }),
        run: { arguments, service in
            let request: SendRequest
            if let path = arguments[string: "file_path"] {
                if let message = arguments[string: "message"], let caption = arguments[string: "caption"], message != caption {
                    return refusedPreview("Give the caption as `caption` or as `message`, not both.")
                }
                request = SendRequest(
                    tool: "wa_preview", recipient: arguments[string: "recipient"]!, kind: .file,
                    caption: arguments[string: "caption"] ?? arguments[string: "message"], filePath: path)
            } else {
                guard let message = arguments[string: "message"] else {
                    return refusedPreview("Give a `message` to preview, or a `file_path`.")
                }
                if arguments[string: "caption"] != nil {
                    return refusedPreview("`caption` goes with `file_path`; for a text message use `message`.")
                }
                request = SendRequest(tool: "wa_preview", recipient: arguments[string: "recipient"]!, kind: .text, text: message)
            }
            let report = await service.preview(request)
            let structured = previewValue(report)
            return report.ok ? .success(report.summary, structured: structured) : .refusal(report.summary, structured: structured)
        },
        refused: { text, _ in previewValue(SendReport.invalidRequest(text)) })

    static func previewValue(_ report: SendReport) -> Value {
        var fields = report.commonFields
        fields["ok"] = .bool(report.ok)
        fields["decision"] = .string(report.status == .blocked ? "block" : report.status.rawValue)
        fields["confirm_token"] = .optional(report.confirmToken)
        fields["confirm_expires_at"] = .optional(report.confirmExpiresAt)
        return .object(fields)
    }

    static func refusedPreview(_ text: String) -> CallTool.Result {
        .refusal(text, structured: previewValue(SendReport.invalidRequest(text)))
    }
}

/// Argument size limits. WhatsApp caps a text at 65,536 characters; the Cloud API a caption at 1,024.
enum ToolLimits {
    static let message = 65_536
    static let caption = 4_096
    static let path = 4_096
}
