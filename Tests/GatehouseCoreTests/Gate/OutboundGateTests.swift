import Foundation
import Testing

@testable import GatehouseCore

/// A scanner at the port: flags marker words and counts how often it was asked.
private final class MarkerScanner: ContentScanner, @unchecked Sendable {
    // @unchecked: `calls` is only touched under `lock`.
    private let lock = NSLock()
    private var calls = 0
    var callCount: Int { lock.withLock { calls } }

    func scan(_ text: String) -> [Finding] {
        lock.withLock { calls += 1 }
        var findings: [Finding] = []
        if text.contains("SECRET") { findings.append(.make(kind: "api_key", severity: .high)) }
        if text.contains("PEM") { findings.append(.make(kind: "private_key", severity: .high)) }
        if text.contains("maybe@example.com") { findings.append(.make(kind: "email", severity: .medium)) }
        return findings
    }
}

extension Finding {
    fileprivate static func make(kind: String, severity: FindingSeverity) -> Finding {
        Finding(kind: kind, category: .secret, severity: severity, range: 0..<1, masked: "x•••")
    }
}

@Suite struct OutboundGateTests {
    private static let alice = try! RecipientNormalizer.parse("+447700900123").get()
    private static let bob = try! RecipientNormalizer.parse("+447700900456").get()
    private static let unlisted = "+447700900999"

    private static func policy(
        allowUnlisted: Bool = true, confirm: Set<ConfirmTrigger> = [], onSecret: SecretAction = .block,
        global: RateLimits = RateLimits(perMinute: 10, perHour: 60),
        perRecipient: RateLimits = RateLimits(perMinute: 5, perHour: 30)
    ) -> Policy {
        Policy(
            allowUnlisted: allowUnlisted, requireConfirmFor: confirm, globalLimits: global, perRecipientLimits: perRecipient,
            onSecret: onSecret,
            recipients: [
                RecipientEntry(name: "Alice", id: alice),
                RecipientEntry(name: "Bob", id: bob, rateLimits: RateLimits(perMinute: 2, perHour: 3)),
            ])
    }

    private static func text(_ recipient: String = "Alice", _ body: String = "hello", token: String? = nil) -> SendRequest {
        SendRequest(tool: "wa_send_message", recipient: recipient, kind: .text, text: body, confirmToken: token)
    }

    private static func file(_ recipient: String = "Alice", caption: String? = nil) -> SendRequest {
        SendRequest(tool: "wa_send_file", recipient: recipient, kind: .file, caption: caption, filePath: "/share/report.pdf")
    }

    private func screened(_ gate: OutboundGate, _ request: SendRequest) throws -> ScreenedSend {
        guard case .passed(let send) = gate.screen(request) else {
            Issue.record("expected \(request) to pass screening, got \(gate.screen(request))")
            throw CancellationError()
        }
        return send
    }

    private func denial(_ screening: Screening) -> Denial? {
        if case .denied(let denial, _, _) = screening { return denial }
        return nil
    }

    // MARK: Order

    @Test func recipientDenialComesBeforeContentAndTheScannerNeverRuns() throws {
        // Given an unlisted recipient, allow_unlisted false, and a secret in the text
        let scanner = MarkerScanner()
        let gate = OutboundGate(policy: Self.policy(allowUnlisted: false), scanner: scanner)
        // When
        let screening = gate.screen(Self.text(Self.unlisted, "key SECRET"))
        // Then the recipient check refuses and content is never scanned
        guard case .denied(let denial, let recipient, let findings) = screening else {
            Issue.record("expected a denial, got \(screening)")
            return
        }
        #expect(denial.code == .recipientNotAllowlisted)
        #expect(denial.check == .recipient)
        #expect(recipient == nil)
        #expect(findings.isEmpty)
        #expect(scanner.callCount == 0)
    }

    @Test func invalidRecipientComesBeforeContent() throws {
        let scanner = MarkerScanner()
        let gate = OutboundGate(policy: Self.policy(), scanner: scanner)
        #expect(denial(gate.screen(Self.text("Order 1234567", "SECRET")))?.code == .recipientInvalid)
        #expect(scanner.callCount == 0)
    }

    @Test func contentDenialComesBeforeRateAndConfirmation() throws {
        // Given every rate window exhausted and confirmation required for everything
        let gate = OutboundGate(policy: Self.policy(confirm: [.all]), scanner: MarkerScanner())
        let exhausted = StateSnapshot(rates: RateCounts(globalMinute: 99, globalHour: 99, recipientMinute: 99, recipientHour: 99), tokenSpent: false)
        var storeConsulted = false
        // When the send runs through the gate in its documented order
        let outcome: Denial?
        switch gate.screen(Self.text("Alice", "here is SECRET")) {
        case .denied(let denial, _, _):
            outcome = denial
        case .passed(let send):
            storeConsulted = true
            if case .deny(let denial) = gate.authorize(send, snapshot: exhausted, token: nil, tokenPresented: false) {
                outcome = denial
            } else {
                outcome = nil
            }
        }
        // Then content refuses it and the stateful checks never run
        #expect(outcome?.code == .contentSecret)
        #expect(outcome?.check == .content)
        #expect(!storeConsulted)
    }

    @Test func rateComesBeforeConfirmation() throws {
        let gate = OutboundGate(policy: Self.policy(confirm: [.all]), scanner: MarkerScanner())
        let send = try screened(gate, Self.text())
        let full = StateSnapshot(rates: RateCounts(globalMinute: 10), tokenSpent: false)
        for presented in [false, true] {
            guard case .deny(let denial) = gate.authorize(send, snapshot: full, token: nil, tokenPresented: presented) else {
                Issue.record("expected a denial")
                return
            }
            #expect(denial.code == .rateGlobalMinute)
        }
    }

    // MARK: Content

    @Test func highSeverityFindingBlocksUnderBlock() throws {
        let gate = OutboundGate(policy: Self.policy(onSecret: .block), scanner: MarkerScanner())
        guard case .denied(let denial, let recipient, let findings) = gate.screen(Self.text("Alice", "SECRET and PEM")) else {
            Issue.record("expected a content denial")
            return
        }
        #expect(denial.code == .contentSecret)
        #expect(denial.check == .content)
        #expect(denial.detail.contains("api_key, private_key"))
        #expect(!denial.detail.contains("SECRET"))
        #expect(recipient?.id == Self.alice)
        #expect(findings.map(\.kind) == ["api_key", "private_key"])
    }

    @Test func secretInACaptionBlocksAFileSend() throws {
        let gate = OutboundGate(policy: Self.policy(), scanner: MarkerScanner())
        #expect(denial(gate.screen(Self.file(caption: "see SECRET")))?.code == .contentSecret)
        #expect(denial(gate.screen(Self.file(caption: "see attached"))) == nil)
    }

    @Test func highSeverityFindingPassesWithAWarningUnderWarn() throws {
        let gate = OutboundGate(policy: Self.policy(onSecret: .warn), scanner: MarkerScanner())
        let send = try screened(gate, Self.text("Alice", "SECRET"))
        #expect(send.findings.map(\.kind) == ["api_key"])
        #expect(send.warnings.contains { $0.contains("secrets policy") && $0.contains("api_key") })
    }

    @Test func mediumSeverityFindingWarnsButNeverBlocks() throws {
        let gate = OutboundGate(policy: Self.policy(onSecret: .block), scanner: MarkerScanner())
        let send = try screened(gate, Self.text("Alice", "write to maybe@example.com"))
        #expect(send.findings.map(\.kind) == ["email"])
        #expect(send.warnings.contains { $0.contains("email") })
    }

    @Test func cleanListedSendHasNoWarnings() throws {
        let gate = OutboundGate(policy: Self.policy(), scanner: MarkerScanner())
        let send = try screened(gate, Self.text())
        #expect(send.findings.isEmpty)
        #expect(send.warnings.isEmpty)
        #expect(send.recipient.allowlisted)
    }

    @Test func unlistedSendUnderAllowUnlistedCarriesAWarning() throws {
        let gate = OutboundGate(policy: Self.policy(allowUnlisted: true), scanner: MarkerScanner())
        let send = try screened(gate, Self.text(Self.unlisted))
        #expect(!send.recipient.allowlisted)
        #expect(send.warnings.contains { $0.contains("not allowlisted") })
    }

    // MARK: needsConfirmation

    @Test(arguments: [
        // triggers, listed text, listed file, unlisted text, unlisted file
        ([], [false, false, false, false]),
        ([ConfirmTrigger.unlisted], [false, false, true, true]),
        ([.files], [false, true, false, true]),
        ([.messages], [true, false, true, false]),
        ([.all], [true, true, true, true]),
        ([.unlisted, .files], [false, true, true, true]),
    ])
    func needsConfirmationFollowsEachTrigger(triggers: [ConfirmTrigger], expected: [Bool]) throws {
        let gate = OutboundGate(policy: Self.policy(allowUnlisted: true, confirm: Set(triggers)), scanner: MarkerScanner())
        let sends = [Self.text(), Self.file(), Self.text(Self.unlisted), Self.file(Self.unlisted)]
        let actual = try sends.map { try gate.needsConfirmation(screened(gate, $0)) }
        #expect(actual == expected, "triggers \(triggers)")
    }

    // MARK: checkRate

    @Test(arguments: [
        (RateCounts(globalMinute: 10), DenialCode.rateGlobalMinute),
        (RateCounts(globalHour: 60), .rateGlobalHour),
        (RateCounts(recipientMinute: 5), .rateRecipientMinute),
        (RateCounts(recipientHour: 30), .rateRecipientHour),
        (RateCounts(globalMinute: 11, globalHour: 61, recipientMinute: 6, recipientHour: 31), .rateGlobalMinute),
        (RateCounts(globalHour: 60, recipientMinute: 5, recipientHour: 30), .rateGlobalHour),
        (RateCounts(recipientMinute: 5, recipientHour: 30), .rateRecipientMinute),
    ])
    func eachWindowDeniesAtItsLimit(counts: RateCounts, code: DenialCode) throws {
        let gate = OutboundGate(policy: Self.policy(), scanner: MarkerScanner())
        let denial = try #require(gate.checkRate(Self.alice, counts: counts))
        #expect(denial.code == code)
        #expect(denial.check == .rateLimit)
    }

    @Test func justBelowEveryLimitPasses() {
        let gate = OutboundGate(policy: Self.policy(), scanner: MarkerScanner())
        #expect(gate.checkRate(Self.alice, counts: RateCounts(globalMinute: 9, globalHour: 59, recipientMinute: 4, recipientHour: 29)) == nil)
    }

    @Test func recipientOverrideReplacesThePerRecipientLimits() throws {
        let gate = OutboundGate(policy: Self.policy(), scanner: MarkerScanner())
        // Bob's own limits are 2/minute and 3/hour
        #expect(try #require(gate.checkRate(Self.bob, counts: RateCounts(recipientMinute: 2))).code == .rateRecipientMinute)
        #expect(try #require(gate.checkRate(Self.bob, counts: RateCounts(recipientHour: 3))).code == .rateRecipientHour)
        #expect(gate.checkRate(Self.alice, counts: RateCounts(recipientMinute: 2, recipientHour: 3)) == nil)
    }

    @Test func recipientDenialMasksTheNumber() throws {
        let gate = OutboundGate(policy: Self.policy(), scanner: MarkerScanner())
        let detail = try #require(gate.checkRate(Self.alice, counts: RateCounts(recipientMinute: 5))).detail
        #expect(detail.contains(Self.alice.masked))
        #expect(!detail.contains("447700900123"))
    }

    @Test func absentLimitsNeverDeny() {
        let none = RateLimits(perMinute: nil, perHour: nil)
        let gate = OutboundGate(policy: Self.policy(global: none, perRecipient: none), scanner: MarkerScanner())
        #expect(gate.checkRate(Self.alice, counts: RateCounts(globalMinute: 1_000, globalHour: 1_000, recipientMinute: 1_000, recipientHour: 1_000)) == nil)
    }

    @Test func zeroLimitDeniesEverySend() throws {
        let gate = OutboundGate(policy: Self.policy(global: RateLimits(perMinute: 0, perHour: nil)), scanner: MarkerScanner())
        #expect(try #require(gate.checkRate(Self.alice, counts: RateCounts())).code == .rateGlobalMinute)
    }

    // MARK: authorize

    private static let fresh = StateSnapshot(rates: RateCounts(), tokenSpent: false)
    private static let token = ConfirmationToken(nonce: Array(repeating: 0xAB, count: 16), expiresAt: Date(timeIntervalSince1970: 2_000_000_000))

    @Test func noConfirmationNeededAllowsWithNothingToSpend() throws {
        let gate = OutboundGate(policy: Self.policy(confirm: []), scanner: MarkerScanner())
        let send = try screened(gate, Self.text())
        #expect(gate.authorize(send, snapshot: Self.fresh, token: nil, tokenPresented: false) == .allow(spendToken: nil))
    }

    @Test func missingTokenIsRequired() throws {
        let gate = OutboundGate(policy: Self.policy(confirm: [.messages]), scanner: MarkerScanner())
        let send = try screened(gate, Self.text())
        guard case .deny(let denial) = gate.authorize(send, snapshot: Self.fresh, token: nil, tokenPresented: false) else {
            Issue.record("expected a denial")
            return
        }
        #expect(denial.code == .confirmationRequired)
        #expect(denial.check == .confirmation)
        #expect(denial.detail.contains("wa_preview"))
    }

    @Test func presentedButUnverifiedTokenIsInvalid() throws {
        let gate = OutboundGate(policy: Self.policy(confirm: [.messages]), scanner: MarkerScanner())
        let send = try screened(gate, Self.text())
        guard case .deny(let denial) = gate.authorize(send, snapshot: Self.fresh, token: nil, tokenPresented: true) else {
            Issue.record("expected a denial")
            return
        }
        #expect(denial.code == .confirmationInvalid)
        #expect(denial.detail.contains("confirmation token invalid or expired"))
    }

    @Test func spentTokenIsInvalid() throws {
        let gate = OutboundGate(policy: Self.policy(confirm: [.messages]), scanner: MarkerScanner())
        let send = try screened(gate, Self.text())
        let spent = StateSnapshot(rates: RateCounts(), tokenSpent: true)
        guard case .deny(let denial) = gate.authorize(send, snapshot: spent, token: Self.token, tokenPresented: true) else {
            Issue.record("expected a denial")
            return
        }
        #expect(denial.code == .confirmationInvalid)
        #expect(denial.detail.contains("confirmation token invalid or expired"))
    }

    @Test func validUnspentTokenAllowsAndNamesTheNonceToSpend() throws {
        let gate = OutboundGate(policy: Self.policy(confirm: [.messages]), scanner: MarkerScanner())
        let send = try screened(gate, Self.text())
        let result = gate.authorize(send, snapshot: Self.fresh, token: Self.token, tokenPresented: true)
        #expect(result == .allow(spendToken: String(repeating: "ab", count: 16)))
        #expect(result == .allow(spendToken: Self.token.id))
    }

    // MARK: canonical

    @Test func canonicalBindsTheSendAndThePolicy() throws {
        let gate = OutboundGate(policy: Self.policy(), scanner: MarkerScanner())
        let send = try screened(gate, Self.text("alice", "hello"))
        let canonical = gate.canonical(send, fileSHA256: nil)
        #expect(canonical == CanonicalSend(kind: .text, recipient: Self.alice, text: "hello", caption: nil, fileSHA256: nil, policyHash: Self.policy().hash))
        #expect(gate.policyHash == Self.policy().hash)
        let fileSend = try screened(gate, Self.file(caption: "c"))
        #expect(gate.canonical(fileSend, fileSHA256: "ff").kind == .file)
        #expect(gate.canonical(fileSend, fileSHA256: "ff").fileSHA256 == "ff")
    }
}
