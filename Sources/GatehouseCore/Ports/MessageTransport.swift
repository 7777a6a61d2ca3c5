/// A file the gate approved: a private copy, already hashed, that the transport sends as is.
public struct ApprovedAttachment: Sendable, Equatable {
    public let spoolPath: String
    public let displayName: String
    public let sha256: String
    public let size: Int

    public init(spoolPath: String, displayName: String, sha256: String, size: Int) {
        self.spoolPath = spoolPath
        self.displayName = displayName
        self.sha256 = sha256
        self.size = size
    }
}

/// A send that passed every check and whose attempt is on record. Only the gate's service makes one.
public struct ApprovedSend: Sendable, Equatable {
    public let decisionID: String
    public let recipient: RecipientID
    public let text: String?
    public let caption: String?
    public let attachment: ApprovedAttachment?
    public let auditSeq: Int

    package init(
        decisionID: String, recipient: RecipientID, text: String?, caption: String?, attachment: ApprovedAttachment?,
        auditSeq: Int
    ) {
        self.decisionID = decisionID
        self.recipient = recipient
        self.text = text
        self.caption = caption
        self.attachment = attachment
        self.auditSeq = auditSeq
    }
}

/// What the transport reported.
public enum TransportResult: Sendable, Equatable {
    case sent(detail: String)
    case failed(detail: String)
}

/// Hands approved sends to WhatsApp (or to a folder). Never throws: a fault is a `.failed` outcome.
public protocol MessageTransport: Sendable {
    var name: String { get }
    func send(_ send: ApprovedSend) async -> TransportResult
}
