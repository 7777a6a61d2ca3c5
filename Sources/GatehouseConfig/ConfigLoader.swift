import GatehouseCore
import Yams

/// Turns config text into a validated ``Policy``, or a ``ConfigError`` listing every problem.
///
/// The config is a superset of guarded-whatsapp-mcp's `allowlist.example.yaml`: its keys mean what
/// they meant there, except that wrong types are errors instead of being coerced.
public struct ConfigLoader: Sendable {
    /// The largest config file read; a config is a page of YAML, not a data set.
    public static let maximumBytes = 1 << 20

    /// Resolves a path from the config (already made absolute) to its real path, or nil if it does not exist.
    public typealias PathResolver = @Sendable (String) -> String?

    let configDirectory: String
    let homeDirectory: String?
    let resolvePath: PathResolver

    public init(configDirectory: String, homeDirectory: String?, resolvePath: @escaping PathResolver) {
        self.configDirectory = configDirectory
        self.homeDirectory = homeDirectory
        self.resolvePath = resolvePath
    }

    static let topKeys = [
        "transport", "outbox_dir", "bridge_url", "bridge_allow_non_loopback", "allow_unlisted", "require_confirm_for",
        "confirm_token_ttl_seconds", "rate_limit", "files", "secrets", "recipients", "store", "inbound", "taint",
        "service_conversations",
    ]

    public func parse(_ text: String, source: String) -> Result<Policy, ConfigError> {
        var reader = YAMLReader()
        let policy = parse(text, reader: &reader)
        if let policy, reader.issues.isEmpty { return .success(policy) }
        var issues = reader.issues.isEmpty ? [ConfigIssue(key: "", line: nil, "config could not be read")] : reader.issues
        if reader.unlisted > 0 {
            issues.append(ConfigIssue(key: "", line: nil, "…and \(reader.unlisted) more problems; fix these first"))
        }
        return .failure(ConfigError(source: source, issues: issues))
    }

    private func parse(_ text: String, reader: inout YAMLReader) -> Policy? {
        guard text.utf8.count <= Self.maximumBytes else {
            reader.fail("", nil, "config is larger than \(Self.maximumBytes) bytes")
            return nil
        }
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text), node.null == nil else {
                reader.fail("", nil, "config is empty; run `gatehouse init` for a commented example")
                return nil
            }
            root = node
        } catch let error as YamlError {
            reader.fail("", nil, "not valid YAML: \(Self.describe(error))")
            return nil
        } catch {
            reader.fail("", nil, "not valid YAML")
            return nil
        }
        guard let top = reader.mapping(root, at: "", allowed: Self.topKeys) else { return nil }

        var policy = Policy()
        if let node = top["allow_unlisted"], let value = reader.bool(node, at: "allow_unlisted") { policy.allowUnlisted = value }
        if let node = top["require_confirm_for"], let list = reader.sequence(node, at: "require_confirm_for") {
            var triggers = Set<ConfirmTrigger>()
            for item in list {
                guard let word = reader.string(item, at: "require_confirm_for") else { continue }
                guard let trigger = ConfirmTrigger(rawValue: word) else {
                    reader.fail(
                        "require_confirm_for", item,
                        "unknown trigger '\(word)'; use unlisted, files, messages or all")
                    continue
                }
                triggers.insert(trigger)
            }
            policy.requireConfirmFor = triggers
        }
        if let node = top["confirm_token_ttl_seconds"],
            let value = reader.int(node, at: "confirm_token_ttl_seconds", range: 1...86_400)
        {
            policy.confirmTokenLifetimeSeconds = value
        }
        if let node = top["rate_limit"] { parseRateLimits(node, into: &policy, reader: &reader) }
        if let node = top["files"] { parseFiles(node, into: &policy.files, reader: &reader) }
        if let node = top["secrets"] { parseSecrets(node, into: &policy, reader: &reader) }
        policy.transport = parseTransport(top, reader: &reader)
        if let node = top["store"], let text = reader.string(node, at: "store") {
            switch StoreAddress.parse(text) {
            case .success(let choice): policy.store = choice
            case .failure(let problem): reader.fail("store", node, problem.description)
            }
        }
        if let node = top["inbound"] { parseInbound(node, into: &policy.inbound, reader: &reader) }
        if let node = top["taint"] { parseTaint(node, into: &policy, reader: &reader) }
        if let node = top["service_conversations"] { parseService(node, into: &policy.service, reader: &reader) }
        if let node = top["recipients"], let list = reader.sequence(node, at: "recipients") {
            policy.recipients = list.enumerated().compactMap { index, item in
                parseRecipient(item, at: "recipients[\(index)]", reader: &reader)
            }
        }
        return policy
    }

    private func parseSecrets(_ node: Node, into policy: inout Policy, reader: inout YAMLReader) {
        let keys = ["on_detect", "actions", "allow", "split_window_seconds"]
        guard let members = reader.mapping(node, at: "secrets", allowed: keys) else { return }
        if let node = members["on_detect"], let action = action(node, at: "secrets.on_detect", reader: &reader) {
            policy.onSecret = action
        }
        if let node = members["actions"], let entries = reader.mapping(node, at: "secrets.actions", allowed: nil) {
            for (name, valueNode) in entries {
                guard Self.actionTargets.contains(name) else {
                    let hint = YAMLReader.closest(to: name, in: Self.actionTargets.sorted()).map { " (did you mean '\($0)'?)" } ?? ""
                    reader.fail(
                        "secrets.actions", valueNode,
                        "unknown detector, family or category '\(name)'\(hint); `gatehouse scan --list` names them")
                    continue
                }
                if let action = action(valueNode, at: "secrets.actions.\(name)", reader: &reader) {
                    policy.secretActions[name] = action
                }
            }
        }
        if let node = members["allow"], let list = reader.sequence(node, at: "secrets.allow") {
            for item in list {
                guard let value = reader.string(item, at: "secrets.allow") else { continue }
                let key = AllowedValue.key(value)
                guard key.count >= 8 else {
                    reader.fail("secrets.allow", item, "an allowed value needs at least 8 letters or digits")
                    continue
                }
                policy.allowedValues.insert(key)
            }
        }
        if let node = members["split_window_seconds"],
            let seconds = reader.int(node, at: "secrets.split_window_seconds", range: 0...86_400)
        {
            policy.splitWindowSeconds = seconds
        }
    }

    /// Names `secrets.actions` may use: every built-in detector kind, family and category.
    static let actionTargets: Set<String> = Set(Detector.builtin.map(\.id))
        .union(DetectorFamily.allCases.map(\.rawValue))
        .union(["secret", "personal"])

    private func action(_ node: Node, at key: String, reader: inout YAMLReader) -> SecretAction? {
        guard let word = reader.string(node, at: key) else { return nil }
        guard let action = SecretAction(rawValue: word) else {
            reader.fail(key, node, "expected block or warn, found '\(word)'")
            return nil
        }
        return action
    }

    private func parseRateLimits(_ node: Node, into policy: inout Policy, reader: inout YAMLReader) {
        let keys = ["per_minute", "per_hour", "per_recipient_per_minute", "per_recipient_per_hour"]
        guard let members = reader.mapping(node, at: "rate_limit", allowed: keys) else { return }
        func limit(_ key: String) -> Int? {
            members[key].flatMap { reader.int($0, at: "rate_limit.\(key)", range: 0...1_000_000) }
        }
        if members["per_minute"] != nil { policy.globalLimits.perMinute = limit("per_minute") }
        if members["per_hour"] != nil { policy.globalLimits.perHour = limit("per_hour") }
        policy.perRecipientLimits = RateLimits(perMinute: limit("per_recipient_per_minute"), perHour: limit("per_recipient_per_hour"))
    }

    private func parseFiles(_ node: Node, into files: inout FilePolicy, reader: inout YAMLReader) {
        guard let members = reader.mapping(node, at: "files", allowed: ["roots", "max_size_mb", "allowed_ext", "unscannable"]) else { return }
        if let node = members["unscannable"], let action = action(node, at: "files.unscannable", reader: &reader) {
            files.unscannable = action
        }
        if let node = members["max_size_mb"], let megabytes = reader.number(node, at: "files.max_size_mb", range: 0.001...2048) {
            files.maxBytes = Int(megabytes * 1024 * 1024)
        }
        if let node = members["roots"], let list = reader.sequence(node, at: "files.roots") {
            files.roots = list.compactMap { item in
                guard let path = reader.string(item, at: "files.roots") else { return nil }
                guard let real = resolvePath(absolute(path)) else {
                    reader.fail("files.roots", item, "\(path) does not exist or cannot be read")
                    return nil
                }
                if real == "/" {
                    reader.fail("files.roots", item, "the whole file system cannot be a root")
                    return nil
                }
                return real
            }
        }
        if let node = members["allowed_ext"], let list = reader.sequence(node, at: "files.allowed_ext") {
            files.allowedExtensions = list.compactMap { item in
                guard let raw = reader.string(item, at: "files.allowed_ext") else { return nil }
                let ext = (raw.hasPrefix(".") ? raw : "." + raw).lowercased()
                guard ext.count >= 2, ext.dropFirst().allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
                    reader.fail("files.allowed_ext", item, "'\(raw)' is not a file extension")
                    return nil
                }
                guard FileTypeRules.expectedKinds(forExtension: ext) != nil else {
                    reader.fail(
                        "files.allowed_ext", item,
                        "Gatehouse has no content check for \(ext), so it cannot vouch for such files; remove it")
                    return nil
                }
                return ext
            }
        }
    }

    private func parseTransport(_ top: [String: Node], reader: inout YAMLReader) -> TransportChoice {
        var allowNonLoopback = false
        if let node = top["bridge_allow_non_loopback"], let value = reader.bool(node, at: "bridge_allow_non_loopback") {
            allowNonLoopback = value
        }
        let bridgeURL = top["bridge_url"].flatMap { reader.string($0, at: "bridge_url") }
        var name = bridgeURL == nil ? "outbox" : "bridge"
        if let node = top["transport"], let word = reader.string(node, at: "transport") {
            if ["outbox", "bridge"].contains(word) {
                name = word
            } else {
                reader.fail("transport", node, "expected outbox or bridge, found '\(word)'")
            }
        }
        if name == "bridge" {
            guard let bridgeURL, let urlNode = top["bridge_url"] else {
                reader.fail("transport", top["transport"], "transport bridge needs bridge_url")
                return .outbox(directory: nil)
            }
            switch BridgeAddress.check(bridgeURL) {
            case .failure(let problem): reader.fail("bridge_url", urlNode, problem.description)
            case .success(let isLoopback):
                if !isLoopback && !allowNonLoopback {
                    reader.fail(
                        "bridge_url", urlNode,
                        "the bridge has no authentication; a non-loopback address is refused unless "
                            + "bridge_allow_non_loopback: true")
                }
            }
            return .bridge(url: bridgeURL, allowNonLoopback: allowNonLoopback)
        }
        let directory = top["outbox_dir"].flatMap { reader.string($0, at: "outbox_dir") }.map(absolute)
        return .outbox(directory: directory)
    }

    private func parseRecipient(_ node: Node, at path: String, reader: inout YAMLReader) -> RecipientEntry? {
        guard let members = reader.mapping(node, at: path, allowed: ["name", "jid", "note", "rate_limit"]) else { return nil }
        guard let nameNode = members["name"], let jidNode = members["jid"] else {
            reader.fail(path, node, "a recipient needs both name and jid")
            return nil
        }
        let name = reader.string(nameNode, at: "\(path).name")
        let jid = reader.string(jidNode, at: "\(path).jid")
        let note = members["note"].flatMap { reader.string($0, at: "\(path).note", allowEmpty: true) } ?? ""
        var limits: RateLimits?
        if let limitNode = members["rate_limit"],
            let limitMembers = reader.mapping(limitNode, at: "\(path).rate_limit", allowed: ["per_minute", "per_hour"])
        {
            limits = RateLimits(
                perMinute: limitMembers["per_minute"].flatMap { reader.int($0, at: "\(path).rate_limit.per_minute", range: 0...1_000_000) },
                perHour: limitMembers["per_hour"].flatMap { reader.int($0, at: "\(path).rate_limit.per_hour", range: 0...1_000_000) })
        }
        guard let name, let jid else { return nil }
        switch RecipientNormalizer.parse(jid) {
        case .success(let id):
            return RecipientEntry(name: name, id: id, note: note, rateLimits: limits)
        case .failure(let error):
            reader.fail("\(path).jid", jidNode, "not a valid number or JID: \(error)")
            return nil
        }
    }

    /// Makes a config path absolute: `~/` from the home directory, relative from the config's folder.
    func absolute(_ path: String) -> String {
        if path.hasPrefix("~/"), let homeDirectory { return homeDirectory + path.dropFirst(1) }
        if path.hasPrefix("/") { return path }
        return configDirectory.hasSuffix("/") ? configDirectory + path : configDirectory + "/" + path
    }

    static func describe(_ error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return "line \(mark.line): \(problem)"
        case .duplicatedKeysInMapping(let duplicates, _):
            return "duplicated keys: \(duplicates.joined(separator: ", "))"
        default:
            return "\(error)"
        }
    }
}
