/// The checks of the outbound gate, in the order they run.
///
/// The raw values leave the process (in tool results and the audit), so they are stable.
public enum CheckID: String, Sendable, Codable, CaseIterable {
    /// The tool call itself (arguments), before any policy check.
    case request
    case config
    case recipient
    case content
    case file
    case rateLimit = "rate_limit"
    case confirmation
    case store
    case transport
    /// Inbound: the gate that decides who reaches the agent.
    case inbound
    /// A service conversation's mode and caps.
    case service
    /// A send held for a person.
    case approval
}

/// A stable, dotted reason code an agent may branch on, such as `recipient.not_allowlisted`.
///
/// Equal by code only; the human detail travels beside it in ``Denial``.
public struct DenialCode: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
}

/// Why the gate refused a send: a stable code, the check that refused, and a sentence a person can act on.
///
/// - Warning: `detail` is shown to the agent and stored in the audit. It must never contain a
///   secret or a full phone number; build it from masked values only.
public struct Denial: Sendable, Equatable, Codable, Error {
    public let code: DenialCode
    public let check: CheckID
    public let detail: String

    public init(_ code: DenialCode, check: CheckID, _ detail: String) {
        self.code = code
        self.check = check
        self.detail = detail
    }
}
