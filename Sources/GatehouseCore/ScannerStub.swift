// TEMPORARY until the scanner lands.
public enum FindingCategory: String, Sendable, Codable { case secret, personal }
public enum FindingSeverity: String, Sendable, Codable, Comparable { case low, medium, high
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue } }
public struct Finding: Sendable, Equatable, Codable {
    public let kind: String
    public let category: FindingCategory
    public let severity: FindingSeverity
    public let range: Range<Int>
    public let masked: String
}
public protocol ContentScanner: Sendable { func scan(_ text: String) -> [Finding] }
public struct SecretScanner: ContentScanner { public init() {}; public func scan(_ text: String) -> [Finding] { [] } }
public enum Redactor { public static func redact(_ text: String, findings: [Finding]) -> String { text } }
