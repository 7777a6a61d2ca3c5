import Foundation
import GatehouseCore
import Testing

@testable import GatehouseService

/// `gatehouse check` on the inbound side: each finding fires, and a careful setup is clean.
@Suite struct InboundCheckTests {
    static func folder(mode: mode_t) throws -> String {
        let path = NSTemporaryDirectory() + "gatehouse-check-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        chmod(path, mode)
        return path
    }

    @Test func aCarefulInboundSetupIsClean() throws {
        let drop = try Self.folder(mode: 0o700)
        var policy = Policy()
        policy.inbound.dropDirectory = drop
        policy.service.enabled = true
        policy.service.allowAgentInitiated = true
        policy.service.approvedPatterns = ["+3490012*"]
        #expect(DeploymentCheck.inbound(policy, statePath: drop).isEmpty)
    }

    @Test func riskyInboundSettingsAreReported() throws {
        let drop = try Self.folder(mode: 0o777)
        var policy = Policy()
        policy.inbound.dropDirectory = drop
        policy.inbound.bridgeDatabase = drop + "/missing/messages.db"
        policy.inbound.groups = [InboundGroup(id: try RecipientNormalizer.parse("120363041234567890@g.us").get(), name: "Open", allowAllMembers: true)]
        policy.service.enabled = true
        policy.service.requireApprovalForFirstContact = false
        policy.service.allowAgentInitiated = true
        policy.service.approvedPatterns = ["+34*"]
        let codes = Set(DeploymentCheck.inbound(policy, statePath: drop).map(\.code))
        #expect(
            codes == [
                "inbound.bridge_db_unreadable", "inbound.drop_dir_world_writable", "inbound.group_open", "service.first_contact_unapproved",
                "service.pattern_broad",
            ])
    }
}
