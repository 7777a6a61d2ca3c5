import Foundation

/// A send that passed the stateless checks (recipient, content).
public struct ScreenedSend: Sendable, Equatable {
    public let request: SendRequest
    public let recipient: ResolvedRecipient
    public let findings: [Finding]
    public let warnings: [String]
    /// The end of the previous message it was judged joined to (the split check), if any.
    public var prior: String? = nil
}

/// The result of the stateless checks: a screened send, or a denial with what was learnt before it.
public enum Screening: Sendable, Equatable {
    case passed(ScreenedSend)
    case denied(Denial, recipient: ResolvedRecipient?, findings: [Finding])
}

/// The result of the stateful checks.
public enum Authorization: Sendable, Equatable {
    /// Send; spend this token nonce if any.
    case allow(spendToken: String?)
    case deny(Denial)
}

/// The outbound gate: pure, and always in this order.
///
/// 1. config valid (the caller holds a gate only for a valid policy; otherwise `config.invalid`)
/// 2. recipient: resolved and allowlisted (``RecipientResolver``)
/// 3. content: text and caption scanned; allowlisted values dropped; each finding blocks or warns as
///    `secrets.actions` / `secrets.on_detect` say (``ContentJudge``), including a secret split over the last message
/// 4. file: path, roots, symlinks, extension, size, then content sniff on the bytes read (`FileCheck`)
/// 5. rate limit: global and per-recipient windows, from the store's snapshot
/// 6. confirmation: a token from `wa_preview`, valid for exactly this send, unspent
///
/// Checks that spend state (rate slots, tokens) run last, so a refused send never burns quota.
public struct OutboundGate: Sendable {
    public let policy: Policy
    public let policyHash: String
    public let content: ContentJudge

    public init(policy: Policy, scanner: any ContentScanner) {
        self.policy = policy
        self.policyHash = policy.hash
        self.content = ContentJudge(policy: policy, scanner: scanner)
    }

    /// Checks 2 and 3. `prior` is the end of the last message to this recipient within
    /// `secrets.split_window_seconds`, so a secret split over two messages is caught.
    public func screen(_ request: SendRequest, prior: String? = nil) -> Screening {
        let recipient: ResolvedRecipient
        switch RecipientResolver.resolve(request.recipient, in: policy) {
        case .failure(let denial): return .denied(denial, recipient: nil, findings: [])
        case .success(let resolved): recipient = resolved
        }
        var warnings: [String] = []
        if !recipient.allowlisted {
            warnings.append("recipient is not allowlisted (allowed only because allow_unlisted is true)")
        }
        if request.kind == .text, !(request.text ?? "").unicodeScalars.contains(where: Self.isVisible) {
            let denial = Denial(.contentEmpty, check: .content, "the message has no visible text; write something to send")
            return .denied(denial, recipient: recipient, findings: [])
        }
        let verdicts = [request.text.map { content.judge($0, prior: prior) }, request.caption.map { content.judge($0) }]
            .compactMap { $0 }
        let findings = verdicts.flatMap(\.findings)
        let blocking = verdicts.flatMap(\.blocking)
        if !blocking.isEmpty {
            let kinds = Set(blocking.map(\.kind)).sorted().joined(separator: ", ")
            let denial = Denial(
                .contentSecret, check: .content,
                "the text appears to contain a secret or personal data (\(kinds)); remove it and try again")
            return .denied(denial, recipient: recipient, findings: findings)
        }
        if !findings.isEmpty {
            let kinds = Set(findings.map(\.kind)).sorted().joined(separator: ", ")
            warnings.append("possible sensitive content allowed by the secrets policy: \(kinds)")
        }
        return .passed(ScreenedSend(request: request, recipient: recipient, findings: findings, warnings: warnings, prior: prior))
    }

    /// A scalar a reader would see: not white space, not a format or control character.
    static func isVisible(_ scalar: Unicode.Scalar) -> Bool {
        let category = scalar.properties.generalCategory
        return !scalar.properties.isWhitespace && category != .format && category != .control
            && !scalar.properties.isDefaultIgnorableCodePoint
    }

    /// Whether policy wants this send previewed and confirmed first.
    public func needsConfirmation(_ send: ScreenedSend) -> Bool {
        let triggers = policy.requireConfirmFor
        return triggers.contains(.all)
            || (triggers.contains(.unlisted) && !send.recipient.allowlisted)
            || (triggers.contains(.files) && send.request.kind == .file)
            || (triggers.contains(.messages) && send.request.kind == .text)
    }

    /// Check 5.
    public func checkRate(_ recipient: RecipientID, counts: RateCounts) -> Denial? {
        let global = policy.globalLimits
        let own = policy.limits(for: recipient)
        if let limit = global.perMinute, counts.globalMinute >= limit {
            return Denial(.rateGlobalMinute, check: .rateLimit, "rate limit: \(limit) sends per minute reached; try again later")
        }
        if let limit = global.perHour, counts.globalHour >= limit {
            return Denial(.rateGlobalHour, check: .rateLimit, "rate limit: \(limit) sends per hour reached; try again later")
        }
        if let limit = own.perMinute, counts.recipientMinute >= limit {
            return Denial(
                .rateRecipientMinute, check: .rateLimit,
                "rate limit: \(limit) sends per minute to \(recipient.masked) reached; try again later")
        }
        if let limit = own.perHour, counts.recipientHour >= limit {
            return Denial(
                .rateRecipientHour, check: .rateLimit,
                "rate limit: \(limit) sends per hour to \(recipient.masked) reached; try again later")
        }
        return nil
    }

    /// Checks 5 and 6 for a real send, on a snapshot read inside the store's transaction.
    ///
    /// `token` is the presented token already verified against this exact send (nil if absent
    /// or invalid); `tokenPresented` tells an absent token from a bad one.
    public func authorize(
        _ send: ScreenedSend, snapshot: StateSnapshot, token: ConfirmationToken?, tokenPresented: Bool, humanApproved: Bool = false
    ) -> Authorization {
        if let denial = checkRate(send.recipient.id, counts: snapshot.rates) { return .deny(denial) }
        // A person approved this exact send out of band (`gatehouse approvals approve`): that is the confirmation.
        guard needsConfirmation(send), !humanApproved else { return .allow(spendToken: nil) }
        guard tokenPresented else {
            return .deny(
                Denial(
                    .confirmationRequired, check: .confirmation,
                    "confirmation required: call wa_preview with the same recipient and content, "
                        + "then repeat this call with the confirm_token it returns"))
        }
        guard let token, !snapshot.tokenSpent else {
            return .deny(
                Denial(
                    .confirmationInvalid, check: .confirmation,
                    "confirmation token invalid or expired; call wa_preview again for a new one"))
        }
        return .allow(spendToken: token.id)
    }

    /// The canonical form a token binds to.
    public func canonical(_ send: ScreenedSend, fileSHA256: String?) -> CanonicalSend {
        CanonicalSend(
            kind: send.request.kind == .file ? .file : .text, recipient: send.recipient.id, text: send.request.text,
            caption: send.request.caption, fileSHA256: fileSHA256, policyHash: policyHash)
    }
}
