import Testing

@testable import GatehouseCore

/// The `secrets:` policy applied to real scanner findings: actions per kind, family and category,
/// the allowlist, and secrets split over two messages.
@Suite struct ContentJudgeTests {
    private static let scanner = NormalizingScanner()

    private static func judge(
        onSecret: SecretAction = .block, actions: [String: SecretAction] = [:], allow: [String] = []
    ) -> ContentJudge {
        ContentJudge(
            policy: Policy(onSecret: onSecret, secretActions: actions, allowedValues: Set(allow.map(AllowedValue.key))),
            scanner: scanner)
    }

    private static let key: String = {
        var fixtures = ScannerFixtures(seed: 0x4A55_4447)
        return fixtures.awsAccessKeyID()
    }()
    private static let card: String = {
        var fixtures = ScannerFixtures(seed: 0x4A55_4448)
        return fixtures.card(prefix: "4", length: 16)
    }()

    @Test func highSeverityBlocksByDefaultAndWarnsUnderWarn() {
        let text = "key \(Self.key)"
        #expect(Self.judge().judge(text).blocking.map(\.kind) == ["aws-access-key-id"])
        let relaxed = Self.judge(onSecret: .warn).judge(text)
        #expect(relaxed.blocking.isEmpty)
        #expect(relaxed.findings.map(\.kind) == ["aws-access-key-id"])
    }

    @Test func theMostSpecificActionWins() {
        let text = "key \(Self.key)"
        // Category says warn, family says block: the family is more specific.
        #expect(!Self.judge(actions: ["secret": .warn, "cloud": .block]).judge(text).blocking.isEmpty)
        // Family says block, kind says warn: the kind wins.
        #expect(Self.judge(actions: ["cloud": .block, "aws-access-key-id": .warn]).judge(text).blocking.isEmpty)
        // An action for another family changes nothing.
        #expect(!Self.judge(onSecret: .block, actions: ["payment": .warn]).judge(text).blocking.isEmpty)
        // An explicit block holds even when on_detect is warn.
        #expect(!Self.judge(onSecret: .warn, actions: ["aws-access-key-id": .block]).judge(text).blocking.isEmpty)
    }

    @Test func allowlistedValuesAreDroppedInAnySpelling() {
        let grouped = ScannerFixtures.grouped(Self.card, [4, 4, 4, 4], separator: " ")
        let dashed = ScannerFixtures.grouped(Self.card, [4, 4, 4, 4], separator: "-")
        let judge = Self.judge(allow: [grouped])
        #expect(judge.judge("test card \(Self.card)").findings.isEmpty)
        #expect(judge.judge("test card \(dashed), thanks").findings.isEmpty)
        // Another card is still blocked.
        var other = ScannerFixtures(seed: 7)
        #expect(!judge.judge("card \(other.card(prefix: "4", length: 16))").blocking.isEmpty)
    }

    @Test func aSecretSplitOverTwoMessagesIsCaughtInTheSecond() throws {
        let first = "here is the key: \(Self.key.prefix(10))"
        let second = "\(Self.key.dropFirst(10)) thanks"
        let judge = Self.judge()
        // Given: each half is harmless alone
        #expect(judge.judge(first).findings.isEmpty)
        #expect(judge.judge(second).findings.isEmpty)
        // When: the second is judged with the first as prior
        let verdict = judge.judge(second, prior: first)
        // Then: it blocks, and the finding covers the second half in the second message
        let finding = try #require(verdict.blocking.first)
        #expect(finding.kind == "aws-access-key-id")
        #expect(finding.range == 0..<(Self.key.count - 10))
        #expect(finding.masked.hasSuffix("(split across messages)"))
        #expect(!finding.masked.contains(String(Self.key.dropFirst(4))))
    }

    @Test func aPriorSecretAloneIsNotBlamedOnTheNextMessage() {
        // The prior message held a whole key (it was judged when it was sent); the next one is clean.
        #expect(Self.judge().judge("see you at 5", prior: "key \(Self.key)").findings.isEmpty)
    }

    @Test func splitTailKeepsOnlyTheEndAtACharacterBoundary() {
        let long = String(repeating: "é", count: 400)  // 800 bytes
        let kept = SplitTail.keep(long, after: "earlier")
        #expect(kept.utf8.count <= SplitTail.maximumBytes)
        #expect(kept.allSatisfy { $0 == "é" })
        #expect(SplitTail.keep("b", after: "a") == "a\nb")
        #expect(SplitTail.keep("b", after: nil) == "b")
    }

    @Test func allowedValueKeyFoldsSpacingCaseAndWidth() {
        #expect(AllowedValue.key("4242 4242-4242.4242") == "4242424242424242")
        #expect(AllowedValue.key("ＡＢＣ123def") == "abc123def")
    }
}
