/// What the content check made of a file's text.
public enum FileContentJudgement: Sendable, Equatable {
    /// The file may go; its findings (offsets into the file's text) and warnings are reported.
    case passed(findings: [Finding], warnings: [String])
    case denied(Denial, findings: [Finding])
}

extension OutboundGate {
    /// The content check on a file: its text is judged like a message (``ContentJudge``); a file whose
    /// content cannot be scanned is refused or let through with a warning, as `files.unscannable` says.
    public func judgeFile(_ text: FileText, displayName: String) -> FileContentJudgement {
        switch text {
        case .unscannable(let reason):
            if policy.files.unscannable == .block {
                return .denied(
                    Denial(
                        .fileUnscannable, check: .file,
                        "the content of \(displayName) cannot be scanned for secrets (\(reason)), and files.unscannable is block"),
                    findings: [])
            }
            return .passed(findings: [], warnings: ["the content of \(displayName) was not scanned for secrets: \(reason)"])
        case .text(let body, _):
            let verdict = content.judge(body)
            let findings = verdict.findings.map {
                Finding(kind: $0.kind, category: $0.category, severity: $0.severity, range: $0.range, masked: $0.masked + " (in \(displayName))")
            }
            if !verdict.blocking.isEmpty {
                let kinds = Set(verdict.blocking.map(\.kind)).sorted().joined(separator: ", ")
                return .denied(
                    Denial(
                        .contentSecret, check: .file,
                        "the file \(displayName) appears to contain a secret or personal data (\(kinds)); remove it and try again"),
                    findings: findings)
            }
            let warnings = findings.isEmpty
                ? [] : ["possible sensitive content in \(displayName) allowed by the secrets policy: "
                    + Set(findings.map(\.kind)).sorted().joined(separator: ", ")]
            return .passed(findings: findings, warnings: warnings)
        }
    }
}
