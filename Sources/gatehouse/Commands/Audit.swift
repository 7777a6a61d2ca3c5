import ArgumentParser
import Foundation
import GatehouseCore
import GatehouseService
import GatehouseStore

struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read, export and verify the tamper-evident audit log.", subcommands: [
            Tail.self, Export.self, Verify.self, Checkpoint.self, Pending.self, Resolve.self, Prune.self,
        ])

    /// Opens the deployment's existing store (`GATEHOUSE_STORE_URL`, the config's `store`, else the
    /// SQLite file); reading the audit never creates a store file (or a key).
    static func open(_ locations: Locations) async throws -> (any StateStore, AuditChainKey) {
        let state = StateDirectory(unchecked: locations.statePath)
        let config = ConfigSource(path: locations.configPath, environment: locations.environment)
        let choice = try StoreOpener.choice(config: config, environment: locations.environment).get()
        if choice == .sqlite {
            guard FileManager.default.fileExists(atPath: state.databasePath) else {
                throw ValidationError("no audit store at \(state.databasePath)")
            }
        }
        let key = try state.auditKey()
        return (try await StoreOpener.open(choice, state: state, key: key), key)
    }

    /// Every record in order, read in pages so a long log needs bounded memory.
    static func forEachRecord(_ store: any StateStore, _ body: (AuditRecord) throws -> Bool) async throws {
        var after = try await store.auditAnchor()?.seq ?? 0
        while true {
            let page = try await store.auditRecords(after: after, limit: 5_000)
            for record in page {
                guard try body(record) else { return }
            }
            guard let last = page.last else { return }
            after = last.seq
        }
    }

    struct Tail: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the newest records, one JSON object per line.")
        @OptionGroup var locations: Locations
        @Option(name: .shortAndLong, help: "How many records.") var n = 20

        func run() async throws {
            let (store, _) = try await Audit.open(locations)
            for record in try await store.auditTail(limit: max(1, n)) { print(Audit.line(record)) }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Export every record as JSONL (ASCII-only, one record per line).")
        @OptionGroup var locations: Locations
        @Option(name: .long, help: "Write to this file instead of stdout.") var output: String?

        func run() async throws {
            let (store, _) = try await Audit.open(locations)
            var handle = FileHandle.standardOutput
            if let output {
                guard FileManager.default.createFile(atPath: output, contents: nil, attributes: [.posixPermissions: 0o600]),
                    let file = FileHandle(forWritingAtPath: output)
                else { throw ValidationError("cannot write \(output)") }
                handle = file
            }
            try await Audit.forEachRecord(store) { record in
                handle.write(Data((Audit.line(record) + "\n").utf8))
                return true
            }
            if output != nil { try handle.close() }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the hash chain and head seal; name the first edited, removed, reordered or truncated record.",
            discussion: "With --checkpoint FILE, also prove that the log still extends a signed checkpoint "
                + "(`gatehouse audit checkpoint`), so a rollback to an older copy is caught. Exit 1 on any problem.")
        @OptionGroup var locations: Locations
        @Option(name: .long, help: "A checkpoint file written by `gatehouse audit checkpoint`.") var checkpoint: String?

        func run() async throws {
            // Read the checkpoint first: a bad file is an error before any verdict on the log.
            var expected: AuditCheckpoint?
            if let checkpoint {
                guard let data = FileManager.default.contents(atPath: checkpoint),
                    let parsed = AuditCheckpoint.parse(String(decoding: data, as: UTF8.self))
                else { throw ValidationError("\(checkpoint) is not a Gatehouse checkpoint") }
                expected = parsed
            }
            let (store, key) = try await Audit.open(locations)
            let state = StateDirectory(unchecked: locations.statePath)
            let (verdict, hashAtCheckpoint) = try await Audit.verify(store, key: key, state: state, remembering: expected?.seq)
            guard case .intact(let count) = verdict else {
                if case .broken(let seq, let reason) = verdict { print("audit verify: FAILED at record \(seq): \(reason)") }
                throw ExitCode(1)
            }
            let anchor = try await store.auditAnchor()
            let summary = anchor.map {
                "\(count - $0.seq) records (\($0.seq + 1)-\(count)); records 1-\($0.seq) were pruned under a signed checkpoint"
            } ?? "\(count) records"
            guard let expected else {
                print("audit verify: OK, \(summary)")
                return
            }
            if let anchor, expected.seq < anchor.seq {
                print(
                    "audit verify: FAILED: the checkpoint (\(expected.seq) records) is older than the prune of records "
                        + "1-\(anchor.seq); verify against the checkpoint written by the prune instead")
                throw ExitCode(1)
            }
            let signer = try state.checkpointKey(create: false).publicKey
            guard expected.isSigned(by: signer) else {
                print("audit verify: FAILED: the checkpoint's signature does not hold for this state directory's key")
                throw ExitCode(1)
            }
            if let problem = expected.problem(logCount: count, hashAtSeq: hashAtCheckpoint) {
                print("audit verify: FAILED: \(problem)")
                throw ExitCode(1)
            }
            print("audit verify: OK, \(summary); extends the checkpoint of \(expected.time) (\(expected.seq) records)")
        }
    }

    struct Checkpoint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a signed checkpoint of the verified log (record count, head hash, time), to keep elsewhere.",
            discussion: "Signed with the Ed25519 key keys/checkpoint.ed25519 (made on first use). Keep the output "
                + "outside the state directory; `gatehouse audit verify --checkpoint FILE` proves the log still extends it.")
        @OptionGroup var locations: Locations
        @Option(name: .long, help: "Write to this file instead of stdout.") var output: String?

        func run() async throws {
            let (store, key) = try await Audit.open(locations)
            let state = StateDirectory(unchecked: locations.statePath)
            let (verdict, _) = try await Audit.verify(store, key: key, state: state, remembering: nil)
            guard case .intact = verdict else {
                if case .broken(let seq, let reason) = verdict {
                    print("audit checkpoint: refused, the log is broken at record \(seq): \(reason)")
                }
                throw ExitCode(1)
            }
            let head = try await store.auditHead()
            let signer = try state.checkpointKey(create: true)
            let checkpoint = try AuditCheckpoint.sign(
                seq: head?.seq ?? 0, headHash: head?.hash ?? AuditChain.genesis, time: Date(), key: signer)
            if let output {
                guard FileManager.default.createFile(atPath: output, contents: Data((checkpoint.json + "\n").utf8)) else {
                    throw ValidationError("cannot write \(output)")
                }
            } else {
                print(checkpoint.json)
            }
        }
    }

    /// Walks the whole chain, from the prune anchor if there is one (its checkpoint must be signed by
    /// this state directory's key and name the anchor exactly); also returns the hash of record `seq`.
    static func verify(
        _ store: any StateStore, key: AuditChainKey, state: StateDirectory, remembering seq: Int?
    ) async throws -> (AuditChain.Verdict, String?) {
        let anchor = try await store.auditAnchor()
        if let anchor {
            guard let checkpoint = AuditCheckpoint.parse(anchor.checkpoint),
                let signer = try? state.checkpointKey(create: false).publicKey, checkpoint.isSigned(by: signer),
                checkpoint.seq == anchor.seq, checkpoint.headHash == anchor.hash
            else {
                return (.broken(seq: anchor.seq, reason: "the prune anchor is not vouched for by a checkpoint signed with this state directory's key"), nil)
            }
        }
        var verifier = AuditChain.Verifier(key: key, after: anchor)
        var verdict: AuditChain.Verdict?
        var remembered: String? = seq != nil && seq == anchor?.seq ? anchor?.hash : nil
        try await Audit.forEachRecord(store) { record in
            if record.seq == seq { remembered = record.hash }
            verdict = verifier.feed(record)
            return verdict == nil
        }
        if let verdict { return (verdict, remembered) }
        let head = try await store.auditHead()
        return (verifier.finish(head: head), remembered)
    }

    /// A record with its hash added, in canonical (ASCII-only) JSON.
    static func line(_ record: AuditRecord) -> String {
        guard case .object(var members)? = JSONParser.parse(record.record) else {
            return JSONValue.object(["seq": .int(record.seq), "hash": .string(record.hash), "error": .string("unreadable record")]).canonical
        }
        members["hash"] = .string(record.hash)
        return JSONValue.object(members).canonical
    }
}
