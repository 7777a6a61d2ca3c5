import Foundation
import GatehouseConfig
import GatehouseCore

/// One thing `gatehouse check` found, with how much it matters.

public struct CheckFinding: Sendable, Equatable {
    public enum Severity: String, Sendable, Comparable {
        case info, warning, error

        var rank: Int { self == .info ? 0 : self == .warning ? 1 : 2 }
        public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }
    }

    public let severity: Severity
    public let code: String
    public let message: String

    public init(_ severity: Severity, _ code: String, _ message: String) {
        self.severity = severity
        self.code = code
        self.message = message
    }
}

/// Lints a config and the deployment around it, as `openclaw security audit` does: errors make
/// the config unusable, warnings are risks a person should accept knowingly.
public enum DeploymentCheck {
    public static func run(config: ConfigSource, statePath: String) -> [CheckFinding] {
        var findings: [CheckFinding] = []
        switch config.current() {
        case .invalid(let error):
            findings += error.issues.map { CheckFinding(.error, "config.invalid", "\(config.path): \($0)") }
        case .valid(let policy):
            findings += lint(policy)
            findings += inbound(policy, statePath: statePath)
        }
        findings += permissions(configPath: config.path, statePath: statePath)
        return findings
    }

    public static func lint(_ policy: Policy) -> [CheckFinding] {
        var findings: [CheckFinding] = []
        if policy.allowUnlisted {
            let confirm = policy.requireConfirmFor.contains(.unlisted) || policy.requireConfirmFor.contains(.all)
            findings.append(
                CheckFinding(
                    .warning, "recipients.allow_unlisted",
                    "allow_unlisted is true: the agent may message any number"
                        + (confirm ? " (each such send needs a preview token)" : ", with no confirmation")))
        }
        if case .bridge(let url, let allowNonLoopback) = policy.transport, allowNonLoopback,
            case .success(false) = BridgeAddress.check(url)
        {
            findings.append(
                CheckFinding(.warning, "bridge.non_loopback", "bridge_url is not on loopback; the bridge has no authentication or TLS"))
        }
        if policy.onSecret == .warn {
            findings.append(CheckFinding(.warning, "secrets.warn_only", "secrets.on_detect is warn: detected secrets are sent"))
        }
        if policy.globalLimits.perMinute == nil && policy.globalLimits.perHour == nil {
            findings.append(CheckFinding(.warning, "rate_limit.none", "no global rate limit"))
        }
        if let minute = policy.globalLimits.perMinute, let hour = policy.globalLimits.perHour, minute > hour {
            findings.append(CheckFinding(.warning, "rate_limit.inconsistent", "per_minute (\(minute)) exceeds per_hour (\(hour))"))
        }
        let names = Dictionary(grouping: policy.recipients, by: { NameKey($0.name) })
        for (_, entries) in names where Set(entries.map(\.id)).count > 1 {
            findings.append(
                CheckFinding(.warning, "recipients.ambiguous_name", "the name '\(entries[0].name)' names several recipients; sends by that name are refused"))
        }
        if policy.recipients.isEmpty {
            findings.append(CheckFinding(.info, "recipients.empty", "no recipients are listed"))
        }
        if policy.files.roots.isEmpty {
            findings.append(CheckFinding(.info, "files.no_roots", "files.roots is empty: every file send is refused"))
        }
        let home = ProcessInfo.processInfo.environment["HOME"].flatMap { realpath($0, nil).map { pointer in defer { free(pointer) }; return String(cString: pointer) } }
        for root in policy.files.roots where root == home {
            findings.append(CheckFinding(.warning, "files.root_broad", "files.roots includes the whole home directory \(root)"))
        }
        return findings
    }

    /// The inbound side: sources ingest can read, a drop folder nobody else can forge messages in,
    /// and service conversations that keep a person in the loop.
    static func inbound(_ policy: Policy, statePath: String) -> [CheckFinding] {
        var findings: [CheckFinding] = []
        var info = stat()
        if let path = policy.inbound.bridgeDatabase, access(path, R_OK) != 0 {
            findings.append(CheckFinding(.error, "inbound.bridge_db_unreadable", "inbound.bridge_db \(path) cannot be read; ingest will stop"))
        }
        let drop = policy.inbound.dropDirectory ?? statePath + "/drop"
        if stat(drop, &info) == 0, info.st_mode & 0o002 != 0 {
            findings.append(
                CheckFinding(.error, "inbound.drop_dir_world_writable", "\(drop) is writable by every user, who could forge inbound messages"))
        }
        for group in policy.inbound.groups where group.allowAllMembers {
            findings.append(
                CheckFinding(.warning, "inbound.group_open", "every member of \(group.name) (\(group.id.masked)) reaches the agent, approved or not"))
        }
        if policy.service.enabled {
            if !policy.service.requireApprovalForFirstContact {
                findings.append(
                    CheckFinding(
                        .warning, "service.first_contact_unapproved",
                        "service conversations open without a person approving the first contact"))
            }
            if policy.service.allowAgentInitiated && policy.service.approvedPatterns.contains(where: { $0.filter(\.isNumber).count < 5 }) {
                findings.append(
                    CheckFinding(.warning, "service.pattern_broad", "an approved_patterns entry matches a whole country or more"))
            }
        }
        return findings
    }

    static func permissions(configPath: String, statePath: String) -> [CheckFinding] {
        var findings: [CheckFinding] = []
        var info = stat()
        if stat(configPath, &info) == 0, info.st_mode & 0o022 != 0 {
            findings.append(CheckFinding(.error, "config.writable_by_others", "\(configPath) is writable by other users, who could rewrite the policy"))
        }
        if stat(statePath, &info) == 0, info.st_mode & 0o077 != 0 {
            findings.append(CheckFinding(.warning, "state.permissions", "\(statePath) is readable by other users; chmod 700 it"))
        }
        for key in ["audit.key", "confirm.key"] {
            let path = statePath + "/keys/" + key
            if stat(path, &info) == 0, info.st_mode & 0o077 != 0 {
                findings.append(CheckFinding(.error, "state.key_permissions", "\(path) is readable by other users; chmod 600 it"))
            }
        }
        return findings
    }
}
