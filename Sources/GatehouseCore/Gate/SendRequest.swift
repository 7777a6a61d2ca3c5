/// A send as the agent asked for it, decoded from the tool arguments and nothing else.
public struct SendRequest: Sendable, Equatable {
    public enum Kind: String, Sendable { case text, file }

    public var tool: String
    public var recipient: String
    public var kind: Kind
    /// The message body of a text send.
    public var text: String?
    /// The caption of a file send.
    public var caption: String?
    public var filePath: String?
    public var confirmToken: String?
    /// The caller's key for exactly-once delivery: a retry with the same key gets the first call's outcome.
    public var idempotencyKey: String?

    public init(
        tool: String, recipient: String, kind: Kind, text: String? = nil, caption: String? = nil, filePath: String? = nil,
        confirmToken: String? = nil, idempotencyKey: String? = nil
    ) {
        self.idempotencyKey = idempotencyKey
        self.tool = tool
        self.recipient = recipient
        self.kind = kind
        self.text = text
        self.caption = caption
        self.filePath = filePath
        self.confirmToken = confirmToken
    }
}
