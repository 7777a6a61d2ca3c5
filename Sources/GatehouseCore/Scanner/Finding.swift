/// What a finding exposes: a credential that grants access, or personal data about someone.
public enum FindingCategory: String, Sendable, Codable {
    case secret
    case personal
}

/// How bad a leak would be, ordered so `max()` gives the worst finding of a message.
public enum FindingSeverity: String, Sendable, Codable, Comparable {
    case low
    case medium
    case high

    // Raw-valued enums get no synthesized `Comparable`; declaration order is the order.
    private var rank: Int {
        switch self {
        case .low: 0
        case .medium: 1
        case .high: 2
        }
    }

    public static func < (lhs: FindingSeverity, rhs: FindingSeverity) -> Bool { lhs.rank < rhs.rank }
}

/// One secret or piece of personal data found in a message.
///
/// Safe to log, store and show to the agent: it holds where the match is and a masked description,
/// never the matched text.
public struct Finding: Sendable, Equatable, Codable {
    /// The detector's stable kebab-case ID, such as `aws-access-key-id`.
    public let kind: String
    public let category: FindingCategory
    public let severity: FindingSeverity
    /// UTF-8 byte offsets into the scanned string, so the range also works on `String.UTF8View` and raw bytes.
    public let range: Range<Int>
    /// At most the detector's fixed public prefix and the length, e.g. `AKIA…[20 chars]` or `card …1234`.
    public let masked: String

    public init(kind: String, category: FindingCategory, severity: FindingSeverity, range: Range<Int>, masked: String) {
        self.kind = kind
        self.category = category
        self.severity = severity
        self.range = range
        self.masked = masked
    }
}
