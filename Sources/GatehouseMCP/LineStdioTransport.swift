import Foundation
import Logging
import MCP

/// Newline-delimited JSON-RPC over stdin/stdout with blocking reads on a dedicated thread.
///
/// The SDK's `StdioTransport` polls a non-blocking stdin and sleeps 10 ms when idle, capping a
/// sequential client near 99 calls/s (SWIFT-NOTES.md). Reads here block, so a request is handled
/// as soon as it arrives. A line longer than `maximumLineBytes` is discarded up to its newline and
/// answered with a JSON-RPC error, so a huge body costs bounded memory and never stalls the server.
public actor LineStdioTransport: Transport {
    public nonisolated let logger: Logger
    let input: Int32
    let output: Int32
    let maximumLineBytes: Int
    private let writer: LineWriter
    private let pending = PendingReplies()
    private let stream: AsyncThrowingStream<Data, Swift.Error>
    private let continuation: AsyncThrowingStream<Data, Swift.Error>.Continuation
    private var started = false

    public init(input: Int32 = 0, output: Int32 = 1, maximumLineBytes: Int = 4 << 20, logger: Logger) {
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
            fd: input, maximumLineBytes: maximumLineBytes, continuation: continuation, writer: writer, pending: pending)
        let thread = Thread { reader.run() }
        thread.name = "gatehouse.stdin"
        thread.start()
    }

    public func disconnect() async {
        continuation.finish()
    }

    public func send(_ data: Data) async throws {
        try writer.write(line: data)
        if PendingReplies.isReply(data) { pending.replied() }
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
    let pending: PendingReplies

    func run() {
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var line = Data()
        var discarding = false
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                break
            }
            if count == 0 { break }
            var start = 0
            for index in 0..<count where buffer[index] == 0x0A {
                if !discarding { line.append(contentsOf: buffer[start..<index]) }
                if discarding {
                    tooLarge()
                } else {
                    deliver(line)
                }
                line.removeAll(keepingCapacity: true)
                discarding = false
                start = index + 1
            }
            if start < count && !discarding {
                line.append(contentsOf: buffer[start..<count])
                if line.count > maximumLineBytes {
                    discarding = true
                    line = Data()
                }
            }
        }
        if !discarding && !line.isEmpty { deliver(line) }
        // The SDK answers each request in its own task; ending the stream now would end the
        // process before those answers are written. A client that closes stdin after its last
        // request still gets every reply.
        pending.waitUntilAnswered(timeoutSeconds: 120)
        continuation.finish()
    }

    func deliver(_ line: Data) {
        var trimmed = line
        if trimmed.last == 0x0D { trimmed.removeLast() }
        guard trimmed.contains(where: { $0 != 0x20 && $0 != 0x09 }) else { return }
        if PendingReplies.expectsReply(trimmed) { pending.received() }
        continuation.yield(trimmed)
    }

    func tooLarge() {
        let reply = #"{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"request too large: a JSON-RPC message may be at most \#(maximumLineBytes) bytes"}}"#
        try? writer.write(line: Data(reply.utf8))
    }
}

/// Counts messages still owed a reply, so end of input can wait for them.
final class PendingReplies: @unchecked Sendable {
    // @unchecked: state is behind `condition`.
    private let condition = NSCondition()
    private var owed = 0

    func received() {
        condition.lock()
        owed += 1
        condition.unlock()
    }

    func replied() {
        condition.lock()
        owed = max(0, owed - 1)
        condition.broadcast()
        condition.unlock()
    }

    func waitUntilAnswered(timeoutSeconds: Double) {
        let deadline = Date(timeIntervalSinceNow: timeoutSeconds)
        condition.lock()
        while owed > 0 && condition.wait(until: deadline) {}
        condition.unlock()
    }

    /// Everything but a notification or a client's reply gets an answer (a request, or an error for junk).
    static func expectsReply(_ line: Data) -> Bool {
        guard let object = try? JSONSerialization.jsonObject(with: line) as? [String: Any] else { return true }
        if object["result"] != nil || object["error"] != nil { return false }
        return !(object["method"] != nil && object["id"] == nil)
    }

    /// A message we send that answers something: it carries an id and no method.
    static func isReply(_ data: Data) -> Bool {
        guard let object = try? JSONSerialization.jsonObject(with: data) else { return false }
        guard let message = object as? [String: Any] else { return object is [Any] }
        return message["method"] == nil && message["id"] != nil
    }
}
