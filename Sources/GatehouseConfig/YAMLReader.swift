import Yams

/// Reads typed values out of a YAML tree strictly, collecting every problem with its line.
///
/// Strict means: a quoted `"false"` is a string, not a boolean; `yes`/`on` are not booleans; a
/// key nobody reads is an error with a did-you-mean. The peer read `"false"` as true and turned
/// its allowlist off.
struct YAMLReader {
    private(set) var issues: [ConfigIssue] = []

    /// Beyond this many, problems are counted, not listed: the error travels in every refusal.
    static let maximumIssues = 20
    private(set) var unlisted = 0

    mutating func fail(_ key: String, _ node: Node?, _ message: String) {
        guard issues.count < Self.maximumIssues else {
            unlisted += 1
            return
        }
        issues.append(ConfigIssue(key: key, line: node?.mark?.line, String(message.prefix(300))))
    }

    /// The members of a mapping, refusing keys outside `allowed`.
    /// The members of a mapping; with `allowed` nil any plain key is taken (the caller checks them).
    mutating func mapping(_ node: Node, at path: String, allowed: [String]?) -> [String: Node]? {
        guard case .mapping(let mapping) = node else {
            fail(path, node, "expected a mapping (key: value lines), found \(describe(node))")
            return nil
        }
        var members: [String: Node] = [:]
        for (keyNode, value) in mapping {
            guard case .scalar(let scalar) = keyNode else {
                fail(path, keyNode, "keys must be plain words")
                continue
            }
            let key = scalar.string
            let full = path.isEmpty ? key : "\(path).\(key)"
            if let allowed, !allowed.contains(key) {
                let hint = Self.closest(to: key, in: allowed).map { " (did you mean '\($0)'?)" } ?? ""
                fail(full, keyNode, "unknown key\(hint); known keys here: \(allowed.joined(separator: ", "))")
                continue
            }
            members[key] = value
        }
        return members
    }

    mutating func bool(_ node: Node, at path: String) -> Bool? {
        guard case .scalar(let scalar) = node else {
            fail(path, node, "expected true or false, found \(describe(node))")
            return nil
        }
        if scalar.style == .plain {
            switch scalar.string {
            case "true", "True", "TRUE": return true
            case "false", "False", "FALSE": return false
            default: break
            }
        }
        fail(path, node, "expected true or false, found \(describe(node))" + (scalar.style == .plain ? "" : " (remove the quotes)"))
        return nil
    }

    mutating func int(_ node: Node, at path: String, range: ClosedRange<Int>) -> Int? {
        guard case .scalar(let scalar) = node, scalar.style == .plain, let value = Int(scalar.string) else {
            fail(path, node, "expected a whole number, found \(describe(node))")
            return nil
        }
        guard range.contains(value) else {
            fail(path, node, "\(value) is out of range \(range.lowerBound)…\(range.upperBound)")
            return nil
        }
        return value
    }

    mutating func number(_ node: Node, at path: String, range: ClosedRange<Double>) -> Double? {
        guard case .scalar(let scalar) = node, scalar.style == .plain, let value = Double(scalar.string), value.isFinite else {
            fail(path, node, "expected a number, found \(describe(node))")
            return nil
        }
        guard range.contains(value) else {
            fail(path, node, "\(scalar.string) is out of range \(range.lowerBound)…\(range.upperBound)")
            return nil
        }
        return value
    }

    /// A string; plain scalars count (a bare `447700900123` is a fine jid), null does not.
    mutating func string(_ node: Node, at path: String, allowEmpty: Bool = false) -> String? {
        guard case .scalar(let scalar) = node else {
            fail(path, node, "expected text, found \(describe(node))")
            return nil
        }
        if scalar.style == .plain, ["", "~", "null", "Null", "NULL"].contains(scalar.string) {
            if allowEmpty && scalar.string.isEmpty { return "" }
            fail(path, node, "has no value")
            return nil
        }
        if !allowEmpty && scalar.string.isEmpty {
            fail(path, node, "must not be empty")
            return nil
        }
        return scalar.string
    }

    mutating func sequence(_ node: Node, at path: String) -> [Node]? {
        if case .sequence(let sequence) = node { return Array(sequence) }
        // An empty value (`roots:`) reads as an empty list.
        if case .scalar(let scalar) = node, scalar.style == .plain, ["", "~", "null"].contains(scalar.string) { return [] }
        fail(path, node, "expected a list, found \(describe(node))")
        return nil
    }

    func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar):
            let shown = scalar.string.count > 40 ? String(scalar.string.prefix(40)) + "…" : scalar.string
            return scalar.style == .plain ? (shown.isEmpty ? "nothing" : "\(shown)") : "the string \"\(shown)\""
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    /// The allowed key nearest to a misspelt one, if it is near enough to be a typo.
    static func closest(to word: String, in candidates: [String]) -> String? {
        let scored = candidates.map { ($0, editDistance(word, $0)) }.min { $0.1 < $1.1 }
        guard let (best, distance) = scored, distance <= max(2, best.count / 3) else { return nil }
        return best
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
