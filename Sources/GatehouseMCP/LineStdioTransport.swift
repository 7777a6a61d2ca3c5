import Foundation
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

    public init(input: Int32 = 0, output: Int32 = 1, maximumLineBytes: Int = 16 << 20, logger: Logger) {
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

    /// The JSON text of a top-level `"id"` in the first bytes of a message: a number or a plain string.
    static func requestID(in head: Data) -> String? {
        let bytes = Array(head)
        let key = Array(#""id""#.utf8)
        guard bytes.count > key.count else { return nil }
        var index = 0
        while index + key.count < bytes.count {
            if Array(bytes[index..<index + key.count]) == key {
                var cursor = index + key.count
                while cursor < bytes.count, bytes[cursor] == 0x20 { cursor += 1 }
                guard cursor < bytes.count, bytes[cursor] == UInt8(ascii: ":") else { index += 1; continue }
                cursor += 1
                while cursor < bytes.count, bytes[cursor] == 0x20 { cursor += 1 }
                var end = cursor
                if cursor < bytes.count, bytes[cursor] == UInt8(ascii: "\"") {
                    end += 1
                    while end < bytes.count, bytes[end] != UInt8(ascii: "\""), bytes[end] != UInt8(ascii: "\\"), end - cursor < 128 { end += 1 }
                    guard end < bytes.count, bytes[end] == UInt8(ascii: "\"") else { return nil }
                    return String(decoding: bytes[cursor...end], as: UTF8.self)
                }
                while end < bytes.count, (0x30...0x39).contains(bytes[end]) || bytes[end] == UInt8(ascii: "-"), end - cursor < 19 { end += 1 }
                return end > cursor ? String(decoding: bytes[cursor..<end], as: UTF8.self) : nil
            }
            index += 1
        }
        return nil
    }
}
