import Foundation
import GatehouseCore

/// The owner's commands on the sender registry and pairing codes (`gatehouse senders`, `gatehouse pair`).
/// Every change is one store transaction with its audit record.
extension GatehouseService {
    func requireStore() throws -> any StateStore {
        guard let store else { throw InboundError(storeProblem ?? "the store is unavailable") }
        return store
    }

    func requirePolicy() throws -> Policy {
        switch config.current() {
        case .valid(let policy): return policy
        case .invalid(let error): throw InboundError("\(error.description); fix the config first")
        }
    }

    /// A person's identity as the owner types it: a number or a user/LID JID.
    static func identity(_ text: String) throws -> RecipientID {
        switch RecipientNormalizer.parse(text) {
        case .failure(let error): throw InboundError("not a valid number or JID: \(error)")
        case .success(let id) where id.kind == .group: throw InboundError("a group is not a sender; list groups under inbound.groups")
        case .success(let id): return id
        }
    }

    /// Every person in the registry once, by primary identity.
    public func senders() async throws -> [SenderRecord] {
        let all = try await requireStore().records(kind: RegistryKind.sender)
        var seen: [String: SenderRecord] = [:]
        for value in all.values {
            guard let record = try? RegistryCodec.decode(SenderRecord.self, from: value) else { continue }
            seen[record.primary] = record
        }
        return seen.values.sorted { ($0.name, $0.primary) < ($1.name, $1.primary) }
    }

    public func inboundCounters() async throws -> [String: Int] {
        try await requireStore().records(kind: RegistryKind.counter).compactMapValues { Int($0) }
    }

    public enum SenderChange: String, Sendable { case approve, block, revoke }

    /// Approves, blocks or revokes a sender. `alias`: the same person's other identity (phone ↔ LID).
    public func changeSender(
        _ identity: String, _ change: SenderChange, name: String? = nil, capabilities: [Capability]? = nil, alias: String? = nil
    ) async throws -> SenderRecord {
        let store = try requireStore()
        let id = try Self.identity(identity)
        let aliasID = try alias.map { try Self.identity($0) }
        if let aliasID, aliasID == id { throw InboundError("an alias must be another identity of the same person") }
        let now = clock()
        let key = auditKey
        let reads = Set([id, aliasID].compactMap { $0 }.map { RecordKey(RegistryKind.sender, $0.jid) })
        return try await store.transact(reading: reads, kinds: [], now: now) { snapshot in
            let found = try reads.compactMap { try snapshot.decoded(SenderRecord.self, $0) }
            var record = found.first ?? SenderRecord(primary: id.jid, name: name ?? "", status: .pending, capabilities: [.reachAgent], updatedAt: now)
            var writes: [RecordKey: String?] = [:]
            // Identities merged from two records keep both.
            for other in found.dropFirst() where other.primary != record.primary {
                record.aliases = Array(Set(record.aliases + other.identities).subtracting([record.primary])).sorted()
            }
            if let aliasID, aliasID.jid != record.primary, !record.aliases.contains(aliasID.jid) { record.aliases.append(aliasID.jid) }
            if id.jid != record.primary, !record.aliases.contains(id.jid) { record.aliases.append(id.jid) }
            switch change {
            case .approve:
                record.status = .approved
                if let capabilities { record.capabilities = capabilities.sorted() }
                // The owner vouches for them: wrong codes they sent before no longer lock them out.
                for identity in record.identities { writes[InboundGate.lockoutKey(jid: identity, key: key)] = .some(nil) }
            case .block: record.status = .blocked
            case .revoke:
                guard !found.isEmpty else { throw InboundError("\(id.masked) is not in the registry") }
                record.status = .pending
            }
            if let name { record.name = InboundText.label(name) }
            record.updatedAt = now
            let encoded = try RegistryCodec.encode(record)
            for identity in record.identities { writes[RecordKey(RegistryKind.sender, identity)] = encoded }
            var entry = AuditEntry(event: .registry, tool: "cli", decisionID: UUID().uuidString.lowercased(), status: record.status.rawValue)
            entry.recipientHash = key.fingerprint(record.primary)
            entry.recipientMasked = (try? RecipientNormalizer.parse(record.primary).get())?.masked
            entry.detail = "senders \(change.rawValue); capabilities: " + record.capabilities.map(\.rawValue).joined(separator: ",")
            return RecordChange(value: record, writes: writes, audit: [entry])
        }.value
    }

    /// Issues a pairing code. The code is returned once and stored only as a keyed hash.
    public func newPairingCode(name: String, capabilities: [Capability], ttlMinutes: Int? = nil) async throws -> (code: String, expiresAt: Date) {
        let policy = try requirePolicy()
        let store = try requireStore()
        let now = clock()
        var generator = SystemRandomNumberGenerator()
        let code = PairingCode.generate(using: &generator)
        let gate = InboundGate(policy: policy, key: auditKey)
        let ttl = ttlMinutes ?? policy.inbound.pairingCodeTTLMinutes
        let offer = PairingOffer(
            name: InboundText.label(name), capabilities: capabilities.isEmpty ? [.reachAgent] : capabilities.sorted(), createdAt: now,
            expiresAt: now.addingTimeInterval(Double(ttl * 60)))
        let limit = policy.inbound.maxPendingCodes
        _ = try await store.transact(reading: [], kinds: [RegistryKind.pairing], now: now) { snapshot in
            var writes: [RecordKey: String?] = [:]
            var pending = 0
            for (key, value) in snapshot.all(kind: RegistryKind.pairing) {
                let existing = try RegistryCodec.decode(PairingOffer.self, from: value)
                if existing.expiresAt <= now { writes[key] = .some(nil) } else { pending += 1 }
            }
            guard pending < limit else {
                throw InboundError("\(pending) pairing codes are already pending (at most \(limit)); wait for one to be used or expire")
            }
            writes[gate.offerKey(code)] = try RegistryCodec.encode(offer)
            var entry = AuditEntry(event: .registry, tool: "cli", decisionID: UUID().uuidString.lowercased(), status: "pairing_code_issued")
            entry.detail = "expires \(AuditTime.format(offer.expiresAt)); capabilities: " + offer.capabilities.map(\.rawValue).joined(separator: ",")
            return RecordChange(value: (), writes: writes, audit: [entry])
        }
        return (code, offer.expiresAt)
    }

    /// Pending (unexpired) pairing offers, oldest first. Codes themselves are not kept.
    public func pairingOffers() async throws -> [PairingOffer] {
        let now = clock()
        return try await requireStore().records(kind: RegistryKind.pairing).values
            .compactMap { try? RegistryCodec.decode(PairingOffer.self, from: $0) }
            .filter { $0.expiresAt > now }
            .sorted { $0.createdAt < $1.createdAt }
    }
}
