import GatehouseCore
import GatehouseService
import MCP

extension GatehouseTool {
    static let auditTail = GatehouseTool(
        name: "wa_audit_tail",
        description: """
            Return the most recent audit records (attempts, outcomes and refusals), oldest first. Read-only. \
            Bodies appear only as a redacted preview and a keyed hash; numbers only masked and hashed.
            """,
        annotations: .init(title: "Read the audit log", readOnlyHint: true, openWorldHint: false),
        arguments: ArgumentSpec(properties: [
            .init(name: "limit", kind: .integer(1...200), required: false, description: "How many records (1-200, default 20)")
        ]),
        outputSchema: Schema.object(["records": Schema.array(["type": "object"])]),
        run: { arguments, service in
            do {
                let records = try await service.auditTail(limit: arguments[integer: "limit"] ?? 20)
                let values = records.map { AuditValue.value(of: $0) }
                // The text lines come from the same parsed values: each record is parsed once.
                let lines = zip(records, values).map { record, fields -> String in
                    let field = { (name: String) in fields.objectValue?[name]?.stringValue ?? "" }
                    let who = field("recipient_masked").isEmpty ? "?" : field("recipient_masked")
                    return "#\(record.seq) \(field("time")) \(field("tool")) \(field("event")) \(field("status")) \(who)"
                }
                return .success(
                    (["\(records.count) audit record(s):"] + lines).joined(separator: "\n"), structured: .object(["records": .array(values)]))
            } catch {
                return .refusal("The audit cannot be read: \(error)", structured: .object(["records": []]))
            }
        },
        refused: { _, _ in .object(["records": []]) })
}

/// Audit records as MCP values: the stored fields plus the record's own hash.
enum AuditValue {
    static func value(of record: AuditRecord) -> Value {
        guard case .object(var members)? = JSONParser.parse(record.record).map(JSONBridge.value) else {
            return .object(["seq": .int(record.seq), "hash": .string(record.hash), "error": "unreadable record"])
        }
        members["hash"] = .string(record.hash)
        return .object(members)
    }
}
