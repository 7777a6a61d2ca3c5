import Foundation
import Logging
import MCP
import Testing

@testable import GatehouseMCP

/// Framing: messages arrive whole however the bytes are split, junk is answered, huge lines are bounded.
@Suite struct LineStdioTransportTests {
    /// Feeds `chunks` into a pipe, returns what the transport delivered and what it wrote back.
    func run(_ chunks: [[UInt8]], maximumLineBytes: Int = 1 << 20) async throws -> (messages: [String], replies: [String]) {
        var inbound: [Int32] = [0, 0]
        var outbound: [Int32] = [0, 0]
        #expect(pipe(&inbound) == 0)
        #expect(pipe(&outbound) == 0)
        let transport = LineStdioTransport(
            input: inbound[0], output: outbound[1], maximumLineBytes: maximumLineBytes,
            logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        try await transport.connect()
        let writer = inbound[1]
        let feeder = Thread {
            for chunk in chunks { _ = chunk.withUnsafeBytes { write(writer, $0.baseAddress, $0.count) } }
            close(writer)
        }
        feeder.start()
        var messages: [String] = []
        for try await data in await transport.receive() {
            messages.append(String(decoding: data, as: UTF8.self))
            // Answer each request so end of input does not wait for replies.
            try await transport.send(Data(#"{"jsonrpc":"2.0","id":1,"result":{}}"#.utf8))
        }
        close(outbound[1])
        let replies = String(decoding: FileHandle(fileDescriptor: outbound[0]).readDataToEndOfFile(), as: UTF8.self)
        return (messages, replies.split(separator: "\n").map(String.init).filter { !$0.contains(#""result""#) })
    }

    let requests = [
        #"{"jsonrpc":"2.0","id":1,"method":"ping"}"#,
        #"{"jsonrpc":"2.0","id":"b","method":"tools/list","params":{"text":"ünïcødé \u2028"}}"#,
    ]

    @Test func wholeMessagesAllAtOnce() async throws {
        let bytes = Array((requests.joined(separator: "\n") + "\n").utf8)
        #expect(try await run([bytes]).messages == requests)
    }

    @Test func wholeMessagesByteByByte() async throws {
        let bytes = Array((requests.joined(separator: "\r\n") + "\n").utf8)
        #expect(try await run(bytes.map { [$0] }).messages == requests)
    }

    @Test func aLastLineWithoutNewlineIsDelivered() async throws {
        #expect(try await run([Array(requests[0].utf8)]).messages == [requests[0]])
    }

    @Test func blankLinesAreSkippedAndOtherLinesPassedOnAsTheyAre() async throws {
        let result = try await run([Array("not json{\n\n   \n".utf8), Array((requests[0] + "\n").utf8)])
        #expect(result.messages == ["not json{", requests[0]])
        #expect(result.replies.isEmpty)
    }

    @Test func anOversizedLineIsDiscardedAndAnsweredWithItsID() async throws {
        let huge = #"{"jsonrpc":"2.0","id":42,"method":"tools/call","params":{"x":""# + String(repeating: "a", count: 5000) + #""}}"#
        let result = try await run([Array((huge + "\n" + requests[0] + "\n").utf8)], maximumLineBytes: 1000)
        #expect(result.messages == [requests[0]])
        try #require(result.replies.count == 1)
        #expect(result.replies[0].contains(#""id":42"#))
        #expect(result.replies[0].contains("-32600"))
    }

    @Test func requestIDsAreFoundNearTheStart() {
        #expect(LineReader.requestID(in: Data(#"{"jsonrpc":"2.0","id": 7,"method""#.utf8)) == "7")
        #expect(LineReader.requestID(in: Data(#"{"id":"abc-1","method""#.utf8)) == #""abc-1""#)
        #expect(LineReader.requestID(in: Data(#"{"method":"x","params":{"#.utf8)) == nil)
        // Only the top-level id counts, and only a valid string or integer.
        #expect(LineReader.requestID(in: Data(#"{"params":{"arguments":{"id":"attacker"}},"id":77,"method""#.utf8)) == "77")
        #expect(LineReader.requestID(in: Data(#"{"id":-,"method""#.utf8)) == nil)
        #expect(LineReader.requestID(in: Data(#"{"id":12.5,"method""#.utf8)) == nil)
        #expect(LineReader.requestID(in: Data(#"{"id":"a\#tb","method""#.utf8)) == nil)
    }
}
