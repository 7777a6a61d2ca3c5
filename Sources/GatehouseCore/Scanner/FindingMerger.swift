/// Merges the findings of a message as written with those of its folded and decoded views.
///
/// The result is sorted by start and never overlaps. Where findings overlap they become one finding covering
/// their union, so redaction hides every byte any view attributed to a secret. A finding of the text as written
/// names the merged finding (kind, category, severity, mask), unless a derived finding of the same kind contains
/// it (the whole of a key whose first line alone looked like one); among derived ones the same order as
/// ``SecretScanner`` applies: specific over generic, then the longer, the more severe, the ID that sorts first.
enum FindingMerger {
    static func merge(direct: [Finding], derived: [Finding], isGeneric: (String) -> Bool) -> [Finding] {
        guard !derived.isEmpty else { return direct }
        var entries = direct.map { Entry(finding: $0, isDirect: true, isGeneric: isGeneric($0.kind)) }
        entries += derived.map { Entry(finding: $0, isDirect: false, isGeneric: isGeneric($0.kind)) }
        entries.sort {
            ($0.finding.range.lowerBound, -$0.finding.range.upperBound)
                < ($1.finding.range.lowerBound, -$1.finding.range.upperBound)
        }
        var result: [Entry] = []
        result.reserveCapacity(entries.count)
        for entry in entries {
            guard let last = result.last, entry.finding.range.lowerBound < last.range.upperBound else {
                result.append(entry)
                continue
            }
            var winner = entry.outranks(last) ? entry : last
            winner.range = last.range.lowerBound..<max(last.range.upperBound, entry.finding.range.upperBound)
            result[result.count - 1] = winner
        }
        return result.map(\.merged)
    }

    private struct Entry {
        var finding: Finding
        var isDirect: Bool
        var isGeneric: Bool
        /// The union of everything merged into this entry.
        var range: Range<Int>

        init(finding: Finding, isDirect: Bool, isGeneric: Bool) {
            self.finding = finding
            self.isDirect = isDirect
            self.isGeneric = isGeneric
            range = finding.range
        }

        func outranks(_ other: Entry) -> Bool {
            // The same secret seen whole in a view and in part as written (a key split over two lines whose
            // first line is itself key-shaped): the whole one describes it.
            if finding.kind == other.finding.kind && finding.range != other.finding.range {
                if Self.covers(finding.range, other.finding.range) { return true }
                if Self.covers(other.finding.range, finding.range) { return false }
            }
            if isDirect != other.isDirect { return isDirect }
            if isGeneric != other.isGeneric { return !isGeneric }
            if finding.range.count != other.finding.range.count {
                return finding.range.count > other.finding.range.count
            }
            if finding.severity != other.finding.severity { return finding.severity > other.finding.severity }
            return finding.kind < other.finding.kind
        }

        static func covers(_ a: Range<Int>, _ b: Range<Int>) -> Bool {
            a.lowerBound <= b.lowerBound && b.upperBound <= a.upperBound
        }

        var merged: Finding {
            Finding(
                kind: finding.kind,
                category: finding.category,
                severity: finding.severity,
                range: range,
                masked: finding.masked
            )
        }
    }
}
