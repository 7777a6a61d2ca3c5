import Foundation
import Testing

@testable import GatehouseCore

/// Every registry value survives the store's JSON codec field for field (a property named with a run
/// of capitals would be written and then silently read back as nil).
@Suite struct RegistryCodecTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    func roundTrips<T: Codable & Equatable>(_ value: T) throws {
        let text = try RegistryCodec.encode(value)
        #expect(try RegistryCodec.decode(T.self, from: text) == value, "\(text)")
    }

    @Test func everyRegistryValueRoundTrips() throws {
        var held = HeldSend(
            id: "ap_1", tool: "wa_send_file", recipient: "447700900123@s.whatsapp.net", recipientName: "Alice", kind: "file", text: nil,
            caption: "c", filePath: "/tmp/x.pdf", reason: "r", serviceChat: true, createdAt: Self.now)
        held.fileDigest = String(repeating: "a", count: 64)
        held.state = .approved
        held.decidedAt = Self.now + 1
        held.note = "ok"
        try roundTrips(held)
        var chat = ServiceChat(jid: "34900123456@s.whatsapp.net", name: "Support", mode: .approvedFollowup, createdAt: Self.now)
        chat.contacted = true
        chat.consecutiveSends = 2
        chat.recentSends = [Self.now, Self.now + 5]
        try roundTrips(chat)
        try roundTrips(
            SenderRecord(
                primary: "447700900123@s.whatsapp.net", aliases: ["123456789012345@lid"], name: "Bob", status: .approved,
                capabilities: [.sendMedia, .reachAgent], updatedAt: Self.now))
        try roundTrips(PairingOffer(name: "Bob", capabilities: [.reachAgent], createdAt: Self.now, expiresAt: Self.now + 3600))
        try roundTrips(Lockout(failures: 3, since: Self.now, lockedUntil: Self.now + 60))
    }
}
