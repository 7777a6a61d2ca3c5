/// The gate's scanner: ``SecretScanner`` over the message as written and over views that undo disguises,
/// with every finding reported at exact byte offsets of the original message.
///
/// Views, each built only when the message has something for it to undo:
/// 1. *Folded*: invisible characters, compatibility forms (NFKC), look-alike letters and combining marks
///    (``ScalarFolder``), then WhatsApp formatting markers and whitespace inside split tokens (``TokenJoiner``).
///    Plain ASCII chat usually needs neither, and costs one pass over its bytes to find that out. Where the
///    joiner left a gap only because the piece after it could be a word, its *lenient* view (the gap closed)
///    is scanned too.
/// 2. *Decoded*: percent-encoded, base64/base64url and hex runs that decode to text (``EncodedRunFinder``,
///    ``RunDecoder``), from the message and from the folded view where it differs; then the runs of that
///    decoded text, down to `maximumDepth` levels (base64 of URL-encoded text is 2). All levels share one
///    budget of decoded bytes: the message's size, at least 4 KiB, at most `decodeBudget`.
///
/// Each view is a ``MappedText``, so a finding in it maps back to the original bytes it came from: the key
/// with its zero-width spaces, the spaced-out pieces with the spaces between, the base64 characters that
/// encode it. Such a finding keeps its detector's kind, category and severity; its mask says how the secret
/// was hidden, `AKIA…[20 chars] (zero-width)`, `eyJ…[155 chars] (base64, url-encoded)`, and never shows it.
/// Findings are merged as ``FindingMerger`` describes: one of the text as written wins an overlap, and the
/// merged range is the union.
///
/// Every step is linear in the message; the decode budget bounds what nesting can add.
public struct NormalizingScanner: ContentScanner {
    public let base: SecretScanner
    public let maximumDepth: Int
    public let decodeBudget: Int
    private let genericKinds: Set<String>
    private let tokenPrefixes: TokenJoiner.Prefixes

    static let minimumDecodeBudget = 4096

    /// - Parameters:
    ///   - maximumDepth: levels of decoding; 0 turns decoding off.
    ///   - decodeBudget: the most bytes decoded per scan, whatever the message's size.
    public init(_ base: SecretScanner = SecretScanner(), maximumDepth: Int = 2, decodeBudget: Int = 4 << 20) {
        self.base = base
        self.maximumDepth = maximumDepth
        self.decodeBudget = decodeBudget
        genericKinds = Set(base.detectors.filter(\.isGeneric).map(\.id))
        tokenPrefixes = TokenJoiner.Prefixes(TokenJoiner.tokenPrefixes(of: base.detectors))
    }

    public func scan(_ text: String) -> [Finding] {
        guard !text.isEmpty else { return [] }
        let original = ScanText(text)
        let direct = base.scan(original)
        guard original.count <= MappedText.maximumCount else { return direct }
        let message = MappedText(original: original.bytes)
        var derived: [Finding] = []

        let scalarFolded = ScalarFolder.fold(message)
        let joined = TokenJoiner.joinViews(scalarFolded ?? message, prefixes: tokenPrefixes, lenient: true)
        let folded = joined.strict ?? scalarFolded
        if let folded { collect(in: folded, into: &derived) }
        if let lenient = joined.lenient {
            // A fallback: only a secret no other view sees. Its view glues on what follows a token (`… thanks`),
            // so letting it widen a finding the strict view made would redact the next word too.
            var extra: [Finding] = []
            collect(in: lenient, into: &extra)
            for finding in extra
            where !(direct + derived).contains(where: { $0.range.overlaps(finding.range) }) {
                derived.append(finding)
            }
        }

        var decoder = RunDecoder(budget: min(max(original.count, Self.minimumDecodeBudget), decodeBudget))
        var sources: [(text: MappedText, onlyChanged: Bool)] = [(message, false)]
        if let folded { sources.append((folded, true)) }
        for _ in 0..<max(maximumDepth, 0) {
            guard decoder.budget > 0, let decoded = decoder.decode(sources) else { break }
            collect(in: decoded, into: &derived)
            sources = [(decoded, false)]
        }
        return FindingMerger.merge(direct: direct, derived: derived) { genericKinds.contains($0) }
    }

    /// Scans a view and maps its findings to the original message, noting how each was hidden.
    private func collect(in view: MappedText, into findings: inout [Finding]) {
        for finding in base.scan(ScanText(bytes: view.bytes)) {
            guard let range = view.sourceRange(of: finding.range) else { continue }
            let labels = view.obfuscation(in: finding.range).labels
            findings.append(
                Finding(
                    kind: finding.kind,
                    category: finding.category,
                    severity: finding.severity,
                    range: range,
                    masked: finding.masked + " (" + (labels.isEmpty ? "normalized" : labels.joined(separator: ", ")) + ")"
                )
            )
        }
    }
}
