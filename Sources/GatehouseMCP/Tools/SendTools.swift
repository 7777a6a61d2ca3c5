import GatehouseCore
import GatehouseService
import MCP

extension GatehouseTool {
    static let sendSchema = Schema.object(
        SendReport.commonSchema.merging([
            "sent": Schema.boolean, "status": Schema.string, "transport": Schema.nullableString,
            "transport_message": Schema.nullableString, "audit_seq": Schema.nullableInteger,
            "attempt_seq": Schema.nullableInteger,
        ]) { $1 })

    /// Sends change the world outside (destructive, open-world); only a call with an `idempotency_key`
    /// is safe to repeat, so the tool as a whole is not marked idempotent.
    static func sendAnnotations(title: String) -> Tool.Annotations {
        Tool.Annotations(title: title, readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true)
    }

    static let sendMessage = GatehouseTool(
        name: "wa_send_message",
        description: """
            Send a WhatsApp text message to an allowlisted recipient, through the full gate (allowlist, secret \
            scan, rate limit, confirmation). If it answers `needs_confirmation`, call wa_preview with the same \
            recipient and message and repeat this call with the `confirm_token` it returns. Pass an \
            `idempotency_key` to make retries safe: a repeated call answers with the first call's outcome \
            (`replayed: true`) or `unknown` if that call's outcome was never recorded, and never sends twice.
            """,
        annotations: sendAnnotations(title: "Send a WhatsApp message"),
        arguments: ArgumentSpec(properties: [
            .init(name: "recipient", kind: .string(maxLength: 256), required: true, description: "A listed name, a phone number or a JID"),
            .init(name: "message", kind: .string(maxLength: ToolLimits.message), required: true, description: "The text to send"),
            .init(name: "confirm_token", kind: .string(maxLength: 256), required: false, description: "The token from wa_preview, when required"),
            .init(name: "idempotency_key", kind: .string(maxLength: 128), required: false,
                  description: "Any unique string for this send; a retry with the same key never sends twice"),
        ]),
        outputSchema: sendSchema,
        run: { arguments, service in
            let request = SendRequest(
                tool: "wa_send_message", recipient: arguments[string: "recipient"]!, kind: .text, text: arguments[string: "message"]!,
                confirmToken: arguments[string: "confirm_token"], idempotencyKey: arguments[string: "idempotency_key"])
            return result(of: await service.send(request))
        },
        refused: { text, _ in sendValue(SendReport.invalidRequest(text)) })

    static let sendFile = GatehouseTool(
        name: "wa_send_file",
        description: """
            Send a file to an allowlisted recipient. The file must lie under a configured root, be no symlink, \
            have an allowed extension whose content matches it, and fit the size cap; it is copied once and \
            that exact copy is sent under an ASCII-safe name. May need a `confirm_token` from wa_preview.
            """,
        annotations: sendAnnotations(title: "Send a file on WhatsApp"),
        arguments: ArgumentSpec(properties: [
            .init(name: "recipient", kind: .string(maxLength: 256), required: true, description: "A listed name, a phone number or a JID"),
            .init(name: "file_path", kind: .string(maxLength: ToolLimits.path), required: true, description: "Absolute path of the file"),
            .init(name: "caption", kind: .string(maxLength: ToolLimits.caption), required: false, description: "Caption for the file"),
            .init(name: "confirm_token", kind: .string(maxLength: 256), required: false, description: "The token from wa_preview, when required"),
            .init(name: "idempotency_key", kind: .string(maxLength: 128), required: false,
                  description: "Any unique string for this send; a retry with the same key never sends twice"),
        ]),
        outputSchema: sendSchema,
        run: { arguments, service in
            let request = SendRequest(
                tool: "wa_send_file", recipient: arguments[string: "recipient"]!, kind: .file, caption: arguments[string: "caption"],
                filePath: arguments[string: "file_path"]!, confirmToken: arguments[string: "confirm_token"],
                idempotencyKey: arguments[string: "idempotency_key"])
            return result(of: await service.send(request))
        },
        refused: { text, _ in sendValue(SendReport.invalidRequest(text)) })

    static func result(of report: SendReport) -> CallTool.Result {
        let structured = sendValue(report)
        return report.sent ? .success(report.summary, structured: structured) : .refusal(report.summary, structured: structured)
    }

    static func sendValue(_ report: SendReport) -> Value {
        var fields = report.commonFields
        fields["sent"] = .bool(report.sent)
        fields["status"] = .string(report.status.rawValue)
        fields["transport"] = .optional(report.transport)
        fields["transport_message"] = .optional(report.transportMessage)
        fields["audit_seq"] = .optional(report.auditSeq)
        fields["attempt_seq"] = .optional(report.attemptSeq)
        return .object(fields)
    }
}
