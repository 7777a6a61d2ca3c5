import Foundation
import GatehouseCore

/// Exactly-once sends: the idempotency ledger's side of the send path.
///
/// A call carrying an `idempotency_key` (or else a confirm token, which is single-use anyway) is
/// looked up in the ledger first. A key seen before answers with the first call's outcome and never
/// calls the transport again; a key whose first call has no recorded outcome (the process died
/// between attempt and outcome, or the call is still running) answers `unknown`, for a person to
/// resolve with `gatehouse audit pending` / `resolve`. Refused calls reserve nothing: nothing was
/// sent, so a retry is simply checked afresh.
extension GatehouseService {
    struct LedgerKeys {
        /// A keyed hash of the caller's key: the ledger never holds the key itself.
        let key: String
        /// A keyed hash of what was asked, so one key cannot stand for two different sends.
        let requestHash: String
    }

    func ledgerKeys(for request: SendRequest) -> LedgerKeys? {
        let key: String
        if let idempotencyKey = request.idempotencyKey {
            key = "k:" + auditKey.fingerprint("idempotency\u{0}" + idempotencyKey)
        } else if let token = request.confirmToken {
            key = "t:" + auditKey.fingerprint("confirm-token\u{0}" + token)
        } else {
            return nil
        }
        let asked = JSONValue.object([
            "tool": .string(request.tool), "recipient": .string(request.recipient),
            "text": request.text.map(JSONValue.string) ?? .null, "caption": request.caption.map(JSONValue.string) ?? .null,
            "file_path": request.filePath.map(JSONValue.string) ?? .null,
        ])
        return LedgerKeys(key: key, requestHash: auditKey.fingerprint("request\u{0}" + asked.canonical))
    }

    /// Answers a retry from its first call's ledger entry, and audits that it did.
    func replay(
        _ first: LedgerEntry, _ keys: LedgerKeys, report: SendReport, entry: AuditEntry, store: any StateStore
    ) async -> SendReport {
        let replayed = Self.replayEntry(first, request: keys.requestHash, base: entry)
        do {
            let record = try await store.append(replayed, now: clock())
            return Self.replayReport(first, requestHash: keys.requestHash, report: report, auditSeq: record.seq)
        } catch {
            // The answer does not depend on the record, but an unaudited call is not answered.
            var report = report
            report.deny(storeDenial("\(error)"))
            return report
        }
    }

    /// The audit record of a call answered from the ledger: `replayed` with the first call's state,
    /// or `blocked` when the key belonged to another send.
    static func replayEntry(_ first: LedgerEntry, request requestHash: String, base: AuditEntry) -> AuditEntry {
        var entry = base
        entry.attemptSeq = first.attemptSeq
        guard first.requestHash == requestHash else {
            entry.event = .blocked
            entry.status = "blocked"
            entry.reasons = [conflict]
            return entry
        }
        entry.event = .replayed
        entry.status = first.state == .pending ? SendReport.Status.unknown.rawValue : first.state.rawValue
        entry.transportDetail = first.detail
        return entry
    }

    static func replayReport(_ first: LedgerEntry, requestHash: String, report: SendReport, auditSeq: Int) -> SendReport {
        var report = report
        report.auditSeq = auditSeq
        report.attemptSeq = first.attemptSeq
        guard first.requestHash == requestHash else {
            report.deny(conflict)
            return report
        }
        report.replayed = true
        report.transportMessage = first.detail
        switch first.state {
        case .sent:
            report.status = .sent
        case .failed:
            report.status = .failed
            report.reasons.append(Denial(.transportFailed, check: .transport, "the first call with this key failed: \(first.detail ?? "no detail")"))
        case .pending:
            report.status = .unknown
            report.warnings.append(
                "the first call with this key (audit record \(first.attemptSeq)) has no recorded outcome: it may have been "
                    + "delivered. It is not sent again; the owner resolves it with `gatehouse audit pending`.")
        }
        return report
    }

    static let conflict = Denial(
        .idempotencyConflict, check: .request,
        "this idempotency key (or confirm token) was already used for a different send; nothing was sent. Use a new key.")
}
