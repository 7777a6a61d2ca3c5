import GatehouseService
import MCP

extension GatehouseTool {
    static let listRecipients = GatehouseTool(
        name: "wa_list_recipients",
        description: """
            List the allowlisted WhatsApp recipients this server may message. Read-only; numbers are masked. \
            Use a returned `name` as the `recipient` of wa_preview, wa_send_message and wa_send_file.
            """,
        annotations: .init(title: "List allowed recipients", readOnlyHint: true, openWorldHint: false),
        arguments: ArgumentSpec(properties: []),
        outputSchema: Schema.object([
            "config_source": Schema.string, "config_valid": Schema.boolean, "config_error": Schema.nullableString,
            "allow_unlisted": Schema.boolean, "require_confirm_for": Schema.array(Schema.string),
            "recipients": Schema.array(
                Schema.object(["name": Schema.string, "jid_masked": Schema.string, "kind": Schema.string, "note": Schema.string])),
        ]),
        run: { _, service in
            let listing = service.listRecipients()
            let structured = value(of: listing)
            guard listing.configValid else {
                return .refusal("The config is invalid, so nothing can be sent: \(listing.configError ?? "")", structured: structured)
            }
            let lines = listing.recipients.map { "- \($0.name) \($0.jidMasked)\($0.note.isEmpty ? "" : " — \($0.note)")" }
            let text = (["\(listing.recipients.count) allowlisted recipient(s):"] + lines).joined(separator: "\n")
            return .success(text, structured: structured)
        },
        refused: { _, service in value(of: service.listRecipients()) })

    static func value(of listing: RecipientListing) -> Value {
            .object([
                "config_source": .string(listing.configSource), "config_valid": .bool(listing.configValid),
                "config_error": .optional(listing.configError), "allow_unlisted": .bool(listing.allowUnlisted),
                "require_confirm_for": .array(listing.requireConfirmFor.map(Value.string)),
                "recipients": .array(
                    listing.recipients.map {
                        .object(["name": .string($0.name), "jid_masked": .string($0.jidMasked), "kind": .string($0.kind), "note": .string($0.note)])
                    }),
            ])
    }
}
