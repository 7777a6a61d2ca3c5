/// Replaces findings in a text with `[REDACTED:<kind>]`.
public enum Redactor {
    /// Replaces each finding's range with `"[REDACTED:<kind>]"`.
    ///
    /// Works on UTF-8 bytes, so ranges from ``SecretScanner`` apply exactly. Findings may come in any order;
    /// ranges are clamped to the text, empty ones ignored, and overlapping ones replaced once, as their union,
    /// under the first finding's kind. Nothing of a covered range survives.
    public static func redact(_ text: String, findings: [Finding]) -> String {
        guard !findings.isEmpty else { return text }
        let bytes = Array(text.utf8)
        let spans = findings.compactMap { finding -> (range: Range<Int>, kind: String)? in
            let lower = min(max(finding.range.lowerBound, 0), bytes.count)
            let upper = min(max(finding.range.upperBound, 0), bytes.count)
            return lower < upper ? (lower..<upper, finding.kind) : nil
        }.sorted { ($0.range.lowerBound, $0.range.upperBound) < ($1.range.lowerBound, $1.range.upperBound) }

        var merged: [(range: Range<Int>, kind: String)] = []
        for span in spans {
            if let last = merged.last, span.range.lowerBound < last.range.upperBound {
                merged[merged.count - 1].range =
                    last.range.lowerBound..<max(last.range.upperBound, span.range.upperBound)
            } else {
                merged.append(span)
            }
        }

        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var cursor = 0
        for span in merged {
            output.append(contentsOf: bytes[cursor..<span.range.lowerBound])
            output.append(contentsOf: "[REDACTED:\(span.kind)]".utf8)
            cursor = span.range.upperBound
        }
        output.append(contentsOf: bytes[cursor...])
        // A caller's range may split a multi-byte character; decoding repairs it with U+FFFD.
        return String(decoding: output, as: UTF8.self)
    }
}
