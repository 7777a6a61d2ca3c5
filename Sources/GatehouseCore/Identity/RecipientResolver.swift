import Foundation

/// A recipient the gate has identified: its canonical identity and, when listed, its allowlist entry.
public struct ResolvedRecipient: Sendable, Equatable {
    public let id: RecipientID
    public let entry: RecipientEntry?

    public var allowlisted: Bool { entry != nil }
    public var name: String? { entry?.name }
}

/// Finds the recipient an agent means, by exact name or by number/JID, and applies the allowlist.
///
/// Names match exactly after ``NameKey`` folding, never by substring (the peer matched "Al" to
/// "Alice"). A name shared by entries with different identities is refused with the candidates.
public enum RecipientResolver {
    public static func resolve(_ query: String, in policy: Policy) -> Result<ResolvedRecipient, Denial> {
        let key = NameKey(query)
        guard !key.value.isEmpty else {
            return .failure(Denial(.recipientInvalid, check: .recipient, "recipient is empty"))
        }
        let named = policy.recipients.filter { NameKey($0.name) == key }
        if let first = named.first {
            if named.allSatisfy({ $0.id == first.id }) {
                return .success(ResolvedRecipient(id: first.id, entry: first))
            }
            let candidates = named.map { "\($0.name) (\($0.id.masked))" }.joined(separator: ", ")
            return .failure(
                Denial(
                    .recipientAmbiguous, check: .recipient,
                    "recipient name matches several allowlist entries: \(candidates); give the number or JID instead"))
        }
        // NFKC first, so a number in fullwidth digits is read (and masked) as the number it is.
        switch RecipientNormalizer.parse(query.precomposedStringWithCompatibilityMapping) {
        case .success(let id):
            if let entry = policy.recipients.first(where: { $0.id == id }) {
                return .success(ResolvedRecipient(id: id, entry: entry))
            }
            guard policy.allowUnlisted else {
                return .failure(
                    Denial(
                        .recipientNotAllowlisted, check: .recipient,
                        "recipient \(id.masked) is not in the allowlist and allow_unlisted is false; "
                            + "add them to the config's recipients, or use wa_list_recipients to pick a listed name"))
            }
            return .success(ResolvedRecipient(id: id, entry: nil))
        case .failure(let error):
            // Digits of any script mean a number was meant: never echo it back.
            if query.contains(where: { $0.isNumber || $0 == "@" || $0 == "＠" }) {
                return .failure(Denial(.recipientInvalid, check: .recipient, "recipient is not a valid number or JID: \(error)"))
            }
            return .failure(
                Denial(
                    .recipientNotAllowlisted, check: .recipient,
                    "no recipient named '\(safeEcho(query))' in the allowlist; names match exactly, "
                        + "call wa_list_recipients to see them"))
        }
    }

    /// A name echoed back in a reason: printable characters only, at most 64 of them.
    static func safeEcho(_ text: String) -> String {
        let printable = text.unicodeScalars.filter { !$0.properties.isDefaultIgnorableCodePoint && $0.value >= 0x20 && $0.value != 0x7F }
        var out = String(String.UnicodeScalarView(printable))
        if out.count > 64 { out = String(out.prefix(63)) + "…" }
        return out
    }
}
