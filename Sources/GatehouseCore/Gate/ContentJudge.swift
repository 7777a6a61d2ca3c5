import Foundation

/// What the content check made of one text: the findings that count, and which of them block.
public struct ContentVerdict: Sendable, Equatable {
    /// Findings after the allowlist, sorted by start; split findings are mapped into the new text.
    public var findings: [Finding]
    /// The findings whose action is `block`.
    public var blocking: [Finding]

    public static let clean = ContentVerdict(findings: [], blocking: [])
}

/// Applies the `secrets:` policy to the scanner's findings: the allowlist, then per-finding actions.
///
/// Pure: the text of the previous message to the same recipient (for secrets split over two messages)
/// is handed in by the caller, which keeps it sealed in the store.
public struct ContentJudge: Sendable {
    public let policy: Policy
    let scanner: any ContentScanner
    /// Each built-in kind's family, for `secrets.actions` keyed by family.
    static let familyOfKind: [String: DetectorFamily] = Dictionary(
        Detector.builtin.map { ($0.id, $0.family) }, uniquingKeysWith: { first, _ in first })

    public init(policy: Policy, scanner: any ContentScanner) {
        self.policy = policy
        self.scanner = scanner
    }

    /// The family of a built-in detector kind; nil for a custom detector.
    public static func family(ofKind kind: String) -> DetectorFamily? { familyOfKind[kind] }

    /// Scans `text` and, when `prior` is given, the two messages joined, keeping only findings that
    /// start in `prior` and end in `text`: the halves of a split secret, each harmless alone.
    public func judge(_ text: String, prior: String? = nil) -> ContentVerdict {
        var findings = scanner.scan(text)
        if let prior, !prior.isEmpty {
            findings = Self.merged(findings + splitFindings(text, prior: prior))
        }
        let bytes = policy.allowedValues.isEmpty || findings.isEmpty ? [] : Array(text.utf8)
        let kept = findings.filter { !isAllowed($0, in: bytes) }
        return ContentVerdict(findings: kept, blocking: kept.filter { action(for: $0) == .block })
    }

    /// The most specific `secrets.actions` entry for the finding (kind, then family, then category);
    /// without one, a high-severity finding takes `secrets.on_detect` and anything less only warns.
    public func action(for finding: Finding) -> SecretAction {
        if let action = policy.secretActions[finding.kind] { return action }
        if let family = Self.familyOfKind[finding.kind], let action = policy.secretActions[family.rawValue] {
            return action
        }
        if let action = policy.secretActions[finding.category.rawValue] { return action }
        return finding.severity == .high ? policy.onSecret : .warn
    }

    private func isAllowed(_ finding: Finding, in bytes: [UInt8]) -> Bool {
        guard !policy.allowedValues.isEmpty else { return false }
        let lower = max(0, finding.range.lowerBound)
        let upper = min(bytes.count, finding.range.upperBound)
        guard lower < upper else { return false }
        return policy.allowedValues.contains(AllowedValue.key(String(decoding: bytes[lower..<upper], as: UTF8.self)))
    }

    private func splitFindings(_ text: String, prior: String) -> [Finding] {
        // A newline joins them: the scanner rejoins tokens broken over lines, and nothing else is glued.
        let boundary = prior.utf8.count + 1
        let joined = prior + "\n" + text
        return scanner.scan(joined).compactMap { finding in
            guard finding.range.lowerBound < boundary, finding.range.upperBound > boundary else { return nil }
            return Finding(
                kind: finding.kind, category: finding.category, severity: finding.severity,
                range: 0..<(finding.range.upperBound - boundary),
                masked: finding.masked + " (split across messages)")
        }
    }

    /// Sorted by start, overlapping findings merged into the first one's kind over their union.
    static func merged(_ findings: [Finding]) -> [Finding] {
        var result: [Finding] = []
        for finding in findings.sorted(by: { ($0.range.lowerBound, -$0.range.upperBound) < ($1.range.lowerBound, -$1.range.upperBound) }) {
            guard let last = result.last, finding.range.lowerBound < last.range.upperBound else {
                result.append(finding)
                continue
            }
            let union = last.range.lowerBound..<max(last.range.upperBound, finding.range.upperBound)
            result[result.count - 1] = Finding(
                kind: last.kind, category: last.category, severity: max(last.severity, finding.severity),
                range: union, masked: last.masked)
        }
        return result
    }
}

/// How `secrets.allow` values are compared: NFKC, then only letters and digits, lower-cased, so
/// `4242 4242 4242 4242` and `4242-4242-4242-4242` are one value.
public enum AllowedValue {
    public static func key(_ value: String) -> String {
        String(
            value.precomposedStringWithCompatibilityMapping.unicodeScalars
                .filter { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) }
                .map { Character($0) }
        ).lowercased()
    }
}

/// The end of a sent message, kept (sealed, by the caller) to catch a secret split over the next one.
public enum SplitTail {
    /// Enough for the longest single-line token the catalogue knows, not a conversation.
    public static let maximumBytes = 512

    /// The last ``maximumBytes`` of `prior` + newline + `text`, cut at a character boundary.
    public static func keep(_ text: String, after prior: String?) -> String {
        let joined = (prior.map { $0 + "\n" } ?? "") + text
        let bytes = Array(joined.utf8)
        guard bytes.count > maximumBytes else { return joined }
        var start = bytes.count - maximumBytes
        while start < bytes.count, bytes[start] & 0xC0 == 0x80 { start += 1 }
        return String(decoding: bytes[start...], as: UTF8.self)
    }
}
