import Foundation
import GatehouseCore
import GatehouseStore
import Testing

@testable import GatehouseService

/// The content check through the whole send path with the real scanner: secrets split over two
/// messages (the tail kept sealed in the real SQLite store), and secrets inside files.
@Suite struct ContentScanPathTests {
    /// A valid-format AWS key id made at run time (base32 body), never a real one.
    static let key: String = "AKIA" + String((0..<16).map { i in Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")[(i * 7 + 3) % 32] })

    @Test func aKeySplitOverTwoMessagesIsRefusedAndTheTailIsNotKeptInClear() async throws {
        let world = try World(config: World.baseConfig, scanner: NormalizingScanner())
        let first = await world.service.send(world.text("Alice", "the key is \(Self.key.prefix(9))"))
        #expect(first.status == .sent)
        // When: the rest follows within the window
        let second = await world.service.send(world.text("Alice", "\(Self.key.dropFirst(9))"))
        // Then: refused as a secret, and the transport saw only the first half
        #expect(second.status == .blocked)
        #expect(second.reasons.first?.code == .contentSecret)
        #expect(second.findings.first?.masked.contains("split across messages") == true)
        #expect(world.transport.sends.count == 1)
        // The kept tail is sealed: the store holds no clear text of it.
        let scope = "r:" + (try world.state.auditKey()).fingerprint("447700900123@s.whatsapp.net")
        let sealed = try #require(try await world.store.messageTail(scope: scope, since: .distantPast))
        #expect(Data(sealed).range(of: Data("the key is".utf8)) == nil)
        #expect(try world.state.auditKey().unseal(sealed)?.hasPrefix("the key is") == true)
    }

    @Test func theSecondHalfAfterTheWindowOrToSomeoneElseIsNotJoined() async throws {
        let config = World.baseConfig + "  - name: Bob\n    jid: \"+44 7700 900456\"\n"
        let world = try World(config: config, scanner: NormalizingScanner())
        #expect(await world.service.send(world.text("Alice", "the key is \(Self.key.prefix(9))")).status == .sent)
        // To another recipient: nothing to join.
        #expect(await world.service.send(world.text("Bob", "\(Self.key.dropFirst(9))")).status == .sent)
        // After the window (120 s by default): the tail is gone.
        world.clock.advance(by: 121)
        #expect(await world.service.send(world.text("Alice", "\(Self.key.dropFirst(9))")).status == .sent)
    }

    @Test func aWindowOfZeroTurnsTheSplitCheckOff() async throws {
        let world = try World(config: World.baseConfig + "secrets:\n  split_window_seconds: 0\n", scanner: NormalizingScanner())
        #expect(await world.service.send(world.text("Alice", "the key is \(Self.key.prefix(9))")).status == .sent)
        #expect(await world.service.send(world.text("Alice", "\(Self.key.dropFirst(9))")).status == .sent)
    }

    // MARK: Files

    private func fileWorld(_ extra: String = "") throws -> (World, String) {
        let root = NSTemporaryDirectory() + "gatehouse-share-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let config = World.baseConfig + "files:\n  roots: [\"\(root)\"]\n" + extra
        return (try World(config: config, scanner: NormalizingScanner()), root)
    }

    private func file(_ recipient: String, _ path: String) -> SendRequest {
        SendRequest(tool: "wa_send_file", recipient: recipient, kind: .file, filePath: path)
    }

    @Test func aTextFileHoldingAKeyIsRefusedAndACleanOneGoes() async throws {
        let (world, root) = try fileWorld()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try "notes\nAWS_ACCESS_KEY_ID=\(Self.key)\n".write(toFile: root + "/notes.txt", atomically: true, encoding: .utf8)
        try "minutes of the meeting\n".write(toFile: root + "/minutes.txt", atomically: true, encoding: .utf8)

        let refused = await world.service.send(file("Alice", root + "/notes.txt"))
        #expect(refused.status == .blocked)
        #expect(refused.reasons.first?.code == .contentSecret)
        #expect(refused.reasons.first?.check == .file)
        #expect(refused.reasons.first?.detail.contains(Self.key) == false)
        let preview = await world.service.preview(file("Alice", root + "/notes.txt"))
        #expect(preview.reasons.first?.code == .contentSecret)

        #expect(await world.service.send(file("Alice", root + "/minutes.txt")).status == .sent)
        #expect(world.transport.sends.count == 1)
        // No spool copy of the refused file is left behind.
        let spool = (try? FileManager.default.subpathsOfDirectory(atPath: world.state.spoolPath)) ?? []
        #expect(!spool.contains { $0.hasSuffix("notes.txt") })
    }

    @Test func anUnscannableFileWarnsByDefaultAndIsRefusedUnderBlock() async throws {
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + [UInt8](repeating: 7, count: 64)
        for (extra, expectSent) in [("", true), ("  unscannable: block\n", false)] {
            let (world, root) = try fileWorld(extra)
            defer { try? FileManager.default.removeItem(atPath: root) }
            try Data(png).write(to: URL(fileURLWithPath: root + "/photo.png"))
            let report = await world.service.send(file("Alice", root + "/photo.png"))
            if expectSent {
                #expect(report.status == .sent)
                #expect(report.warnings.contains { $0.contains("not scanned") })
            } else {
                #expect(report.status == .blocked)
                #expect(report.reasons.first?.code == .fileUnscannable)
            }
        }
    }
}
