import Foundation
import GatehouseCore
import Logging
import MCP

/// Newline-delimited JSON-RPC over stdin/stdout with blocking reads on a dedicated thread.
///
/// The SDK's `StdioTransport` polls a non-blocking stdin and sleeps 10 ms when idle, capping a
/// sequential client near 99 calls/s (SWIFT-NOTES.md). Reads here block, so a request is handled
/// as soon as it arrives. A line longer than `maximumLineBytes` is discarded up to its newline and
/// answered with a JSON-RPC error, so a huge body costs bounded memory and never stalls the server.
/// Framing only: what a line means is the server's business.
public actor LineStdioTransport: Transport {
    public nonisolated let logger: Logger
    let input: Int32
    let output: Int32
    let maximumLineBytes: Int
    private let writer: LineWriter
    private let stream: AsyncThrowingStream<Data, Swift.Error>
    private let continuation: AsyncThrowingStream<Data, Swift.Error>.Continuation
    private var started = false

    public init(input: Int32 = 0, output: Int32 = 1, maximumLineBytes: Int = 2 << 20, logger: Logger) {
        self.input = input
        self.output = output
        self.maximumLineBytes = maximumLineBytes
        self.logger = logger
        self.writer = LineWriter(fd: output)
        (stream, continuation) = AsyncThrowingStream.makeStream()
    }

    public func connect() async throws {
        guard !started else { return }
        started = true
        let reader = LineReader(
            fd: input, maximumLineBytes: maximumLineBytes, continuation: continuation, writer: writer)
        let thread = Thread { reader.run() }
        thread.name = "gatehouse.stdin"
        thread.start()
    }

    public func disconnect() async {
        continuation.finish()
    }

    public func send(_ data: Data) async throws {
        try writer.write(line: data)
    }

    public func receive() -> AsyncThrowingStream<Data, Swift.Error> { stream }
}

/// Writes whole lines under a lock, so replies from concurrent handlers and the reader's own
/// error replies never interleave.
final class LineWriter: @unchecked Sendable {
    // @unchecked: the descriptor is only written under `lock`.
    let fd: Int32
    private let lock = NSLock()

    init(fd: Int32) { self.fd = fd }

    func write(line: Data) throws {
        var bytes = line
        bytes.append(0x0A)
        lock.lock()
        defer { lock.unlock() }
        try bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR || errno == EAGAIN { continue }
                    throw MCPError.transportError(POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO))
                }
                offset += written
            }
        }
    }
}

/// The blocking read loop. Splits on newlines, enforces the line cap, ends the stream at EOF.
struct LineReader: @unchecked Sendable {
    // @unchecked: used by exactly one thread.
    let fd: Int32
    let maximumLineBytes: Int
    let continuation: AsyncThrowingStream<Data, Swift.Error>.Continuation
    let writer: LineWriter

    func run() {
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var line = Data()
        // While discarding an oversized line: its first bytes, where the request id usually is.
        var discardedHead: Data?
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                break
            }
            if count == 0 { break }
            var start = 0
            for index in 0..<count where buffer[index] == 0x0A {
                if discardedHead == nil { line.append(contentsOf: buffer[start..<index]) }
                if let head = discardedHead ?? (line.count > maximumLineBytes ? line.prefix(4096) : nil) {
                    tooLarge(head: head)
                } else {
                    deliver(line)
                }
                line.removeAll(keepingCapacity: true)
                discardedHead = nil
                start = index + 1
            }
            if start < count && discardedHead == nil {
                line.append(contentsOf: buffer[start..<count])
                if line.count > maximumLineBytes {
                    discardedHead = line.prefix(4096)
                    line = Data()
                }
            }
        }
        if discardedHead == nil && !line.isEmpty { deliver(line) }
        continuation.finish()
    }

    func deliver(_ line: Data) {
        var trimmed = line
        if trimmed.last == 0x0D { trimmed.removeLast() }
        guard trimmed.contains(where: { $0 != 0x20 && $0 != 0x09 }) else { return }
        continuation.yield(trimmed)
    }

    /// An oversized message is answered with the id found near its start, so the caller's
    /// request fails at once instead of waiting forever.
    func tooLarge(head: Data) {
        reply(error: -32600, "request too large: a JSON-RPC message may be at most \(maximumLineBytes) bytes", id: Self.requestID(in: head) ?? "null")
    }

    func reply(error code: Int, _ message: String, id: String) {
        let line = #"{"jsonrpc":"2.0","id":\#(id),"error":{"code":\#(code),"message":"\#(message)"}}"#
        try? writer.write(line: Data(line.utf8))
    }

    /// The JSON text of the top-level `"id"` in the first bytes of a message, if it is an integer
    /// or a string; nil otherwise (then the error goes out with a null id).
    static func requestID(in head: Data) -> String? {
        let bytes = Array(head)
        var depth = 0
        var index = 0
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
            case UInt8(ascii: "\""):
                guard let end = stringEnd(bytes, from: index) else { return nil }
                let isKey = depth == 1 && String(decoding: bytes[index...end], as: UTF8.self) == #""id""#
                index = end + 1
                guard isKey else { continue }
                while index < bytes.count, bytes[index] == 0x20 { index += 1 }
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { continue }
                index += 1
                while index < bytes.count, bytes[index] == 0x20 { index += 1 }
                var valueEnd = index
                if index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
                    guard let end = stringEnd(bytes, from: index) else { return nil }
                    valueEnd = end + 1
                } else {
                    while valueEnd < bytes.count, !",} ".utf8.contains(bytes[valueEnd]) { valueEnd += 1 }
                }
                let text = String(decoding: bytes[index..<valueEnd], as: UTF8.self)
                switch JSONParser.parse(text) {
                case .int?, .string?: return JSONParser.parse(text)!.canonical
                default: return nil
                }
            default: break
            }
            index += 1
        }
        return nil
    }

    /// The index of the quote that closes the string opening at `start`, skipping escapes.
    static func stringEnd(_ bytes: [UInt8], from start: Int) -> Int? {
        var index = start + 1
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "\\") {
                index += 2
                continue
            }
            if bytes[index] == UInt8(ascii: "\"") { return index }
            index += 1
        }
        return nil
    }
}
