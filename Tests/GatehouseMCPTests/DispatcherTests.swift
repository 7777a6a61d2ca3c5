import Foundation
import GatehouseCore
import GatehouseService
import Logging
import Testing

@testable import GatehouseMCP

/// The JSON-RPC surface: lifecycle, errors with the right ids, refusals as tool results.
@Suite struct DispatcherTests {
    let dispatcher: GatehouseMCPServer.Dispatcher
    let directory = NSTemporaryDirectory() + "gatehouse-dispatch-" + UUID().uuidString

    init() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try "recipients:\n  - name: Alice\n    jid: \"+44 7700 900123\"\n".write(
            toFile: directory + "/g.yaml", atomically: true, encoding: .utf8)
        let service = try GatehouseService(
            config: ConfigSource(path: directory + "/g.yaml", environment: [:]), state: StateDirectory(path: directory + "/state"),
            logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        dispatcher = GatehouseMCPServer.Dispatcher(service: service)
    }

    func reply(_ line: String) async -> JSONValue? {
        await dispatcher.handle(line: Data(line.utf8))
    }

    @Test func junkGetsAParseErrorWithANullID() async throws {
        let answer = try #require(await reply("not json{"))
        #expect(answer["id"] == .null)
        #expect(answer["error"]?["code"] == .int(-32700))
    }

    @Test func batchesAndMethodlessMessagesAreInvalidRequests() async throws {
        #expect(await reply(#"[{"jsonrpc":"2.0","id":1,"method":"ping"}]"#)?["error"]?["code"] == .int(-32600))
        let noMethod = try #require(await reply(#"{"jsonrpc":"2.0","id":7}"#))
        #expect(noMethod["id"] == .int(7))
        #expect(noMethod["error"]?["code"] == .int(-32600))
    }

    @Test func idsMustBeStringsOrIntegersAndParamsAnObject() async throws {
        #expect(await reply(#"{"jsonrpc":"2.0","id":{"a":1},"method":"ping"}"#)?["error"]?["code"] == .int(-32600))
        #expect(await reply(#"{"jsonrpc":"2.0","id":true,"method":"ping"}"#)?["id"] == .null)
        #expect(await reply(#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":[1]}"#)?["error"]?["code"] == .int(-32602))
        #expect(await reply(#"{"jsonrpc":"2.0","id":1,"method":"tools/call"}"#)?["error"]?["code"] == .int(-32602))
    }

    @Test func duplicateKeysAreAParseErrorNotLastOneWins() async throws {
        let answer = try #require(
            await reply(#"{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"wa_send_message","arguments":{"recipient":"Alice","recipient":"+447700900999","message":"hi"}}}"#))
        #expect(answer["error"]?["code"] == .int(-32700))
    }

    @Test func notificationsAndClientRepliesGetNoAnswer() async {
        #expect(await reply(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#) == nil)
        #expect(await reply(#"{"jsonrpc":"2.0","id":3,"result":{}}"#) == nil)
    }

    @Test func unknownMethodsAreNotFoundAndKeepTheirID() async throws {
        let answer = try #require(await reply(#"{"jsonrpc":"2.0","id":"x","method":"server/discover"}"#))
        #expect(answer["id"] == .string("x"))
        #expect(answer["error"]?["code"] == .int(-32601))
    }

    @Test func initializeEchoesAKnownVersionAndOffersTheNewestOtherwise() async throws {
        let known = try #require(await reply(#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18"}}"#))
        #expect(known["result"]?["protocolVersion"] == .string("2025-06-18"))
        #expect(known["result"]?["capabilities"]?["tools"] != nil)
        let unknown = try #require(await reply(#"{"jsonrpc":"2.0","id":2,"method":"initialize","params":{"protocolVersion":"1999-01-01"}}"#))
        #expect(unknown["result"]?["protocolVersion"] == .string(GatehouseMCPServer.protocolVersions[0]))
    }

    @Test func toolsListHasTheSevenTools() async throws {
        let answer = try #require(await reply(#"{"jsonrpc":"2.0","id":1,"method":"tools/list"}"#))
        guard case .array(let tools)? = answer["result"]?["tools"] else { Issue.record("no tools"); return }
        #expect(tools.compactMap { $0["name"]?.stringValue }.count == 7)
        #expect(tools.allSatisfy { $0["outputSchema"] != nil && $0["inputSchema"] != nil })
    }

    @Test func badArgumentsAreAToolErrorWithStructuredContentNotAProtocolError() async throws {
        let answer = try #require(
            await reply(#"{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"wa_send_message","arguments":{"recipient":"Alice","message":5}}}"#))
        #expect(answer["error"] == nil)
        #expect(answer["result"]?["isError"] == .bool(true))
        #expect(answer["result"]?["structuredContent"]?["status"] == .string("blocked"))
        #expect(answer["result"]?["structuredContent"]?["sent"] == .bool(false))
    }

    @Test func aTextThatLooksLikeADataURLIsSentAsTheTextItIs() async throws {
        let answer = try #require(
            await reply(#"{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"wa_send_message","arguments":{"recipient":"Alice","message":"data:,hello"}}}"#))
        #expect(answer["result"]?["structuredContent"]?["status"] == .string("sent"))
        let outbox = directory + "/state/outbox"
        let file = try #require(try FileManager.default.contentsOfDirectory(atPath: outbox).first { $0.hasSuffix(".json") })
        let envelope = try #require(JSONParser.parse(String(contentsOfFile: outbox + "/" + file, encoding: .utf8)))
        #expect(envelope["message"] == .string("data:,hello"))
    }
}
