import ArgumentParser
import Foundation
import GatehouseCore
import GatehouseService

extension Audit {
    /// The attempt record of a ledger entry, as the audit holds it.
    static func attempt(_ entry: LedgerEntry, in store: any StateStore) async throws -> AuditRecord? {
        try await store.auditRecords(after: entry.attemptSeq - 1, limit: 1).first { $0.seq == entry.attemptSeq }
    }

    struct Pending: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List sends whose outcome is unknown: the attempt is recorded, the outcome is not.",
            discussion: "A server stopped between calling the transport and recording what it answered leaves such a send. "
                + "Gatehouse never sends it again by itself: check whether it arrived, then record it with "
                + "`gatehouse audit resolve SEQ --sent` or `--failed`. Prints one JSON object per line; exit 0.")
        @OptionGroup var locations: Locations

        func run() async throws {
            let (store, _) = try await Audit.open(locations)
            let pending = try await store.pendingSends(limit: 10_000)
            for entry in pending {
                var fields: [String: JSONValue] = [
                    "attempt_seq": .int(entry.attemptSeq), "since": .string(AuditTime.format(entry.createdAt)),
                    "keyed_by": .string(Self.keyKind(entry.key)),
                ]
                if let record = try await Audit.attempt(entry, in: store), case .object(let attempt)? = JSONParser.parse(record.record) {
                    for name in ["tool", "decision_id", "recipient_masked", "body_preview", "file_name", "transport"] {
                        fields[name] = attempt[name] ?? .null
                    }
                }
                print(JSONValue.object(fields).canonical)
            }
            FileHandle.standardError.write(Data("audit pending: \(pending.count) send(s) with unknown outcome\n".utf8))
        }

        static func keyKind(_ key: String) -> String {
            switch key.prefix(2) {
            case "k:": return "idempotency_key"
            case "t:": return "confirm_token"
            default: return "none"
            }
        }
    }

    struct Resolve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record the outcome of a send listed by `gatehouse audit pending`, after checking it by hand.",
            discussion: "Appends a `resolved` record to the audit and settles the send, so a retry with its idempotency "
                + "key answers with this outcome. Never calls the transport.")
        @OptionGroup var locations: Locations
        @Argument(help: "The attempt's audit sequence number (attempt_seq).") var seq: Int
        @Flag(name: .long, help: "The message did arrive.") var sent = false
        @Flag(name: .long, help: "The message did not arrive.") var failed = false
        @Option(name: .long, help: "Why, in a few words (kept in the audit, secrets redacted).") var note: String?

        func validate() throws {
            guard sent != failed else { throw ValidationError("say either --sent or --failed") }
            if let note, note.count > 200 { throw ValidationError("--note is limited to 200 characters") }
        }

        func run() async throws {
            let (store, _) = try await Audit.open(locations)
            guard let pending = try await store.pendingSends(limit: 10_000).first(where: { $0.attemptSeq == seq }) else {
                throw ValidationError("record \(seq) is not a send with unknown outcome; see `gatehouse audit pending`")
            }
            guard let record = try await Audit.attempt(pending, in: store), case .object(let attempt)? = JSONParser.parse(record.record)
            else { throw ValidationError("the attempt record \(seq) cannot be read; run `gatehouse audit verify`") }
            var entry = AuditEntry(
                event: .resolved, tool: attempt["tool"]?.stringValue ?? "unknown",
                decisionID: attempt["decision_id"]?.stringValue ?? "unknown", status: sent ? "sent" : "failed")
            entry.attemptSeq = seq
            entry.recipientHash = attempt["recipient_hash"]?.stringValue
            entry.recipientMasked = attempt["recipient_masked"]?.stringValue
            entry.transport = attempt["transport"]?.stringValue
            let detail = "resolved by the operator" + (note.map { ": " + Self.clean($0) } ?? "")
            entry.transportDetail = detail
            let outcome = try await store.settle(
                Settlement(key: pending.key, state: sent ? .sent : .failed, detail: detail, entry: entry), now: Date())
            print("audit resolve: record \(seq) settled as \(sent ? "sent" : "failed") (audit record \(outcome.seq))")
        }

        /// A note is kept in the audit: secrets redacted and numbers masked like any other text there.
        static func clean(_ note: String) -> String {
            let oneLine = String(note.map { $0.isNewline ? " " : $0 })
            return PhoneMask.mask(Redactor.redact(oneLine, findings: NormalizingScanner().scan(oneLine)))
        }
    }

    struct Prune: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Drop audit records older than a date, after writing a signed checkpoint of what is dropped.",
            discussion: "Verifies the whole log first. The checkpoint of the last dropped record is written to "
                + "checkpoints/ in the state directory (and --output), then kept in the store as the log's new start, "
                + "so `gatehouse audit verify` still proves every record that remains. Records of sends whose outcome "
                + "is unknown, and everything after them, are kept.")
        @OptionGroup var locations: Locations
        @Option(name: .long, help: "Drop records older than this: YYYY-MM-DD (midnight UTC) or an ISO 8601 time.") var before: String
        @Option(name: .long, help: "Also write the checkpoint to this file (keep it outside the state directory).") var output: String?

        func run() async throws {
            guard let cutoff = Self.parseDate(before) else {
                throw ValidationError("--before: expected YYYY-MM-DD or an ISO 8601 time such as 2026-11-01T00:00:00Z")
            }
            let (store, key) = try await Audit.open(locations)
            let state = StateDirectory(unchecked: locations.statePath)
            let (verdict, _) = try await Audit.verify(store, key: key, state: state, remembering: nil)
            guard case .intact = verdict else {
                if case .broken(let seq, let reason) = verdict { print("audit prune: refused, the log is broken at record \(seq): \(reason)") }
                throw ExitCode(1)
            }
            // The longest prefix older than the cutoff, stopping before any send still pending.
            let firstPending = try await store.pendingSends(limit: 1).first?.attemptSeq ?? Int.max
            let cutoffText = AuditTime.format(cutoff)
            var last: AuditRecord?
            try await Audit.forEachRecord(store) { record in
                guard record.seq < firstPending, let time = JSONParser.parse(record.record)?["time"]?.stringValue, time < cutoffText
                else { return false }
                last = record
                return true
            }
            guard let last else {
                print("audit prune: nothing to prune before \(cutoffText)")
                return
            }
            let checkpoint = try AuditCheckpoint.sign(seq: last.seq, headHash: last.hash, time: Date(), key: state.checkpointKey(create: true))
            let text = checkpoint.json + "\n"
            let folder = state.path + "/checkpoints"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let kept = folder + "/pruned-\(last.seq).json"
            try Self.writeDurably(text, to: kept)
            if let output { try Self.writeDurably(text, to: output) }
            let dropped = try await store.pruneAudit(to: AuditAnchor(seq: last.seq, hash: last.hash, checkpoint: checkpoint.json))
            print("audit prune: dropped \(dropped) records (up to \(last.seq)); checkpoint kept in \(kept)\(output.map { " and \($0)" } ?? "")")
            print(checkpoint.json)
        }

        static func parseDate(_ text: String) -> Date? {
            let full = ISO8601DateFormatter()
            full.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            let plain = ISO8601DateFormatter()
            let day = ISO8601DateFormatter()
            day.formatOptions = [.withFullDate]
            return full.date(from: text) ?? plain.date(from: text) ?? day.date(from: text)
        }

        /// The checkpoint must be on disk before the records it vouches for are dropped.
        static func writeDurably(_ text: String, to path: String) throws {
            let fd = Foundation.open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw ValidationError("cannot write \(path): \(String(cString: strerror(errno)))") }
            defer { close(fd) }
            let bytes = Array(text.utf8)
            let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard written == bytes.count, fsync(fd) == 0 else { throw ValidationError("cannot write \(path)") }
        }
    }
}
