/// One problem in a config file, located by key path and line.
public struct ConfigIssue: Sendable, Equatable, CustomStringConvertible {
    public let key: String
    public let line: Int?
    public let message: String

    public init(key: String, line: Int?, _ message: String) {
        self.key = key
        self.line = line
        self.message = message
    }

    public var description: String {
        let place = line.map { "line \($0): " } ?? ""
        return key.isEmpty ? "\(place)\(message)" : "\(place)\(key): \(message)"
    }
}

/// A config that must not be used: every send is refused with this error until it is fixed.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public let source: String
    public let issues: [ConfigIssue]

    public init(source: String, issues: [ConfigIssue]) {
        self.source = source
        self.issues = issues
    }

    public var description: String {
        "invalid config \(source): " + issues.map(\.description).joined(separator: "; ")
    }
}
