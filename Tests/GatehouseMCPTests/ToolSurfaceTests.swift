import Foundation
import MCP
import Testing

@testable import GatehouseMCP

/// What the tools advertise and how arguments are checked, without a server process.
@Suite struct ToolSurfaceTests {
    @Test func thePeersFiveToolsAndTheInboxToolsWithSchemasAndAnnotations() {
        let tools = GatehouseTool.all.map(\.tool)
        #expect(
            tools.map(\.name) == [
                "wa_list_recipients", "wa_preview", "wa_send_message", "wa_send_file", "wa_audit_tail", "wa_inbox", "wa_list_chats",
            ])
        for tool in tools {
            #expect(tool.outputSchema != nil, "\(tool.name) has no outputSchema")
            #expect(tool.inputSchema.objectValue?["additionalProperties"] == .bool(false))
        }
        let readOnly = tools.filter { $0.annotations.readOnlyHint == true }.map(\.name)
        #expect(readOnly == ["wa_list_recipients", "wa_preview", "wa_audit_tail", "wa_inbox", "wa_list_chats"])
        let sends = tools.filter { $0.annotations.destructiveHint == true && $0.annotations.openWorldHint == true }.map(\.name)
        #expect(sends == ["wa_send_message", "wa_send_file"])
    }

    let spec = GatehouseTool.sendMessage.arguments

    @Test func validArgumentsPass() throws {
        let arguments = try spec.validate(["recipient": "Alice", "message": "hi"]).get()
        #expect(arguments[string: "message"] == "hi")
        #expect(arguments[string: "confirm_token"] == nil)
    }

    @Test func wrongTypesMissingAndUnknownArgumentsAreRefusedWithAReason() {
        func message(_ arguments: [String: Value]) -> String? {
            if case .failure(let error) = spec.validate(arguments) { return error.message }
            return nil
        }
        #expect(message(["recipient": "Alice", "message": 5]) == "argument 'message' must be a string, not a number")
        #expect(message(["recipient": "Alice"]) == "missing required argument 'message'")
        #expect(message(["recipient": "Alice", "message": "hi", "force": true])?.hasPrefix("unknown argument 'force'") == true)
        #expect(message(["recipient": "Alice", "message": .string(String(repeating: "x", count: 70_000))])?.contains("too long") == true)
        #expect(message(["recipient": "Al\u{0}ice", "message": "hi"]) == "argument 'recipient' contains a NUL character")
    }

    @Test func aStringThatLooksLikeADataURLStaysAString() throws {
        let arguments = try spec.validate(["recipient": "Alice", "message": .data(mimeType: "text/plain", Data("hello".utf8))]).get()
        #expect(arguments[string: "message"]?.hasPrefix("data:text/plain") == true)
    }

    @Test func integersAreRangeChecked() {
        let audit = GatehouseTool.auditTail.arguments
        #expect((try? audit.validate(["limit": 5]).get())?[integer: "limit"] == 5)
        #expect((try? audit.validate(["limit": 5.0]).get())?[integer: "limit"] == 5)
        #expect((try? audit.validate(["limit": 0]).get()) == nil)
        #expect((try? audit.validate(["limit": 5.5]).get()) == nil)
        #expect((try? audit.validate(["limit": "5"]).get()) == nil)
    }
}
