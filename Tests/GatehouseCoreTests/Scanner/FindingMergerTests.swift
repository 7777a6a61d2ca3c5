import Testing

@testable import GatehouseCore

/// How findings of the message as written and of its views combine.
@Suite("FindingMerger")
struct FindingMergerTests {
    static func finding(_ kind: String, _ range: Range<Int>, _ masked: String = "m") -> Finding {
        Finding(kind: kind, category: .secret, severity: .high, range: range, masked: masked)
    }

    static func merge(_ direct: [Finding], _ derived: [Finding]) -> [Finding] {
        FindingMerger.merge(direct: direct, derived: derived) { $0 == "generic-secret" || $0 == "bearer-token" }
    }

    @Test func aDirectFindingWinsAnOverlapAndTheRangeIsTheUnion() {
        let merged = Self.merge(
            [Self.finding("generic-secret", 10..<30, "direct")],
            [Self.finding("aws-access-key-id", 20..<40, "AKIA…[20 chars] (split)")]
        )
        #expect(merged == [Self.finding("generic-secret", 10..<40, "direct")])
    }

    @Test func aDerivedFindingOfTheSameKindContainingTheDirectOneNamesIt() {
        let merged = Self.merge([Self.finding("jwt", 10..<30, "short")], [Self.finding("jwt", 10..<50, "whole (split)")])
        #expect(merged == [Self.finding("jwt", 10..<50, "whole (split)")])
    }

    @Test func identicalFindingsCollapseAndTouchingOnesStaySeparate() {
        let merged = Self.merge(
            [Self.finding("github-token", 0..<40, "direct")],
            [Self.finding("github-token", 0..<40, "derived"), Self.finding("jwt", 40..<90, "derived jwt")]
        )
        #expect(merged == [Self.finding("github-token", 0..<40, "direct"), Self.finding("jwt", 40..<90, "derived jwt")])
    }

    @Test func amongDerivedFindingsSpecificBeatsGenericAndOutputIsSorted() {
        let merged = Self.merge(
            [],
            [
                Self.finding("payment-card", 100..<116),
                Self.finding("generic-secret", 0..<30, "generic"),
                Self.finding("aws-access-key-id", 5..<25, "specific"),
                Self.finding("bearer-token", 28..<60, "bridge"),
            ]
        )
        #expect(merged == [Self.finding("aws-access-key-id", 0..<60, "specific"), Self.finding("payment-card", 100..<116)])
    }
}
