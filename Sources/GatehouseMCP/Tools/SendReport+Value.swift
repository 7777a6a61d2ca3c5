import Foundation
import GatehouseCore
import GatehouseService
import MCP

extension SendReport {
    /// A call refused before any check ran, because its arguments were wrong.
    static func invalidRequest(_ text: String) -> SendReport {
        var report = SendReport(status: .blocked, decisionID: UUID().uuidString.lowercased())
        report.reasons = [Denial(.requestInvalid, check: .request, text)]
        return report
    }

    var recipientValue: Value {
        .object([
            "name": .optional(recipientName), "jid_masked": .optional(recipientMasked), "allowlisted": .bool(allowlisted),
        ])
    }

    var reasonsValue: Value {
        .array(reasons.map { .object(["code": .string($0.code.rawValue), "check": .string($0.check.rawValue), "detail": .string($0.detail)]) })
    }

    var findingsValue: Value {
        .array(findings.map { .object(["kind": .string($0.kind), "severity": .string($0.severity.rawValue), "masked": .string($0.masked)]) })
    }

    /// Fields shared by preview and send results.
    var commonFields: [String: Value] {
        [
            "decision_id": .string(decisionID),
            "recipient": recipientValue,
            "reasons": reasonsValue,
            "blocked_reason": .optional(blockedReason),
            "warnings": .array(warnings.map(Value.string)),
            "secret_findings": findingsValue,
            "needs_confirm": .bool(status == .needsConfirmation),
            "display_filename": .optional(displayFilename),
            "file_sha256": .optional(fileSHA256),
            "replayed": .bool(replayed),
            "approval_id": .optional(approvalID),
        ]
    }

    static let commonSchema: [String: Value] = [
        "decision_id": Schema.string,
        "recipient": Schema.recipient,
        "reasons": Schema.array(Schema.reason),
        "blocked_reason": Schema.nullableString,
        "warnings": Schema.array(Schema.string),
        "secret_findings": Schema.array(Schema.finding),
        "needs_confirm": Schema.boolean,
        "display_filename": Schema.nullableString,
        "file_sha256": Schema.nullableString,
        "replayed": Schema.boolean,
        "approval_id": Schema.nullableString,
    ]

    /// One line a person can read: what happened, to whom, and why.
    var summary: String {
        let who = [recipientName, recipientMasked.map { "(\($0))" }].compactMap { $0 }.joined(separator: " ")
        let because = reasons.map { "\($0.detail) [\($0.code.rawValue)]" }.joined(separator: "; ")
        let findingsText = findings.isEmpty ? "" : " Findings: " + findings.map { "\($0.kind) \($0.masked)" }.joined(separator: ", ") + "."
        let warningsText = warnings.isEmpty ? "" : " Warnings: " + warnings.joined(separator: "; ") + "."
        if replayed, status == .sent {
            return "Already sent by the first call with this key (audit record \(attemptSeq ?? 0)); not sent again. decision \(decisionID)"
        }
        switch status {
        case .unknown:
            return "Outcome unknown: \(warnings.joined(separator: "; ")) decision \(decisionID)"
        case .sent:
            return "Sent to \(who) via \(transport ?? "transport"). \(transportMessage ?? "")\(warningsText) decision \(decisionID)"
        case .allow:
            return "Preview: this send to \(who) would go through now.\(warningsText) decision \(decisionID)"
        case .needsConfirmation where confirmToken != nil:
            return "Preview: this send to \(who) needs confirmation. Pass confirm_token \(confirmToken!) to the send call "
                + "with exactly the same recipient and content (expires \(confirmExpiresAt ?? "soon")).\(warningsText)"
        case .needsConfirmation:
            return "Not sent: \(because). decision \(decisionID)"
        case .blocked:
            return "Blocked: \(because).\(findingsText) decision \(decisionID)"
        case .needsApproval:
            return "Held for a person's approval (approval \(approvalID ?? "")): \(because). Nothing was sent yet; "
                + "the owner approves or rejects it outside this session. decision \(decisionID)"
        case .failed:
            return "Failed: \(because). The attempt is recorded in the audit. decision \(decisionID)"
        }
    }
}
