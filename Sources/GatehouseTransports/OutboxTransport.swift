import Foundation
import GatehouseCore

/// The default transport: each approved send becomes a JSON file in a folder, for a person or
/// another program to deliver. Files appear atomically (temp file, fsync, rename), the attachment
/// first, so a reader that sees a JSON file always finds its attachment beside it.
public struct OutboxTransport: MessageTransport {
    public let name = "outbox"
    public let directory: String

    public init(directory: String) throws {
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }

    /// The outbox file schema, `gatehouse.outbox.v1` (README, "Outbox").
    struct Envelope: Encodable {
        struct File: Encodable {
            let name: String
            let path: String
            let sha256: String
            let size: Int
        }
        let schema = "gatehouse.outbox.v1"
        let id: String
        let created_at: String
        let recipient: String
        let recipient_kind: String
        let kind: String
        let message: String?
        let caption: String?
        let file: File?
        let decision_id: String
        let audit_seq: Int

        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(schema, forKey: .schema)
            try container.encode(id, forKey: .id)
            try container.encode(created_at, forKey: .created_at)
            try container.encode(recipient, forKey: .recipient)
            try container.encode(recipient_kind, forKey: .recipient_kind)
            try container.encode(kind, forKey: .kind)
            // Explicit nulls, so every key of the schema is always present.
            try container.encode(message, forKey: .message)
            try container.encode(caption, forKey: .caption)
            try container.encode(file, forKey: .file)
            try container.encode(decision_id, forKey: .decision_id)
            try container.encode(audit_seq, forKey: .audit_seq)
        }

        enum CodingKeys: String, CodingKey {
            case schema, id, created_at, recipient, recipient_kind, kind, message, caption, file, decision_id, audit_seq
        }
    }

    public func send(_ send: ApprovedSend) async -> TransportResult {
        let now = Date()
        let id = UUID().uuidString.lowercased()
        let stamp = Self.stamp(now)
        do {
            var file: Envelope.File?
            if let attachment = send.attachment {
                let name = "\(id)-\(attachment.displayName)"
                try AtomicFile.place(copyOf: attachment.spoolPath, at: directory + "/" + name)
                file = Envelope.File(name: attachment.displayName, path: name, sha256: attachment.sha256, size: attachment.size)
            }
            let envelope = Envelope(
                id: id, created_at: AuditTime.format(now), recipient: send.recipient.jid, recipient_kind: send.recipient.kind.rawValue,
                kind: send.attachment == nil ? "text" : "file", message: send.attachment == nil ? send.text : nil,
                caption: send.attachment == nil ? nil : send.caption, file: file, decision_id: send.decisionID,
                audit_seq: send.auditSeq)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let data = try encoder.encode(envelope) + Data("\n".utf8)
            let fileName = "\(stamp)-\(id).json"
            try AtomicFile.write(data, to: directory + "/" + fileName)
            return .sent(detail: "written to outbox as \(fileName)")
        } catch {
            return .failed(detail: "could not write to the outbox: \(error)")
        }
    }

    static func stamp(_ date: Date) -> String {
        // 2026-11-22T10:00:00.123Z → 20261122T100000.123
        let iso = AuditTime.format(date)
        return String(iso.filter { $0 != "-" && $0 != ":" }.dropLast())
    }
}

/// Durable, atomic file placement: write a dot-file, fsync it, rename it, fsync the folder.
public enum AtomicFile {
    public static func write(_ data: Data, to path: String, mode: mode_t = 0o600) throws {
        let temporary = temporaryPath(for: path)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw POSIXFailure("create \(temporary)") }
        do {
            try data.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = Foundation.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        throw POSIXFailure("write \(temporary)")
                    }
                    offset += written
                }
            }
            guard fsync(fd) == 0 else { throw POSIXFailure("fsync \(temporary)") }
            close(fd)
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        try commit(temporary, to: path)
    }

    /// Moves a file in (renaming when it can, copying across file systems), durably.
    static func place(copyOf source: String, at path: String) throws {
        let temporary = temporaryPath(for: path)
        do {
            try FileManager.default.copyItem(atPath: source, toPath: temporary)
            let fd = open(temporary, O_RDONLY | O_CLOEXEC)
            if fd >= 0 {
                fsync(fd)
                close(fd)
            }
        } catch {
            unlink(temporary)
            throw error
        }
        try commit(temporary, to: path)
    }

    static func temporaryPath(for path: String) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingLastPathComponent().path + "/.tmp-" + url.lastPathComponent
    }

    static func commit(_ temporary: String, to path: String) throws {
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw POSIXFailure("rename to \(path)")
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
    }
}

struct POSIXFailure: Error, CustomStringConvertible {
    let description: String
    init(_ action: String) { description = "\(action): \(String(cString: strerror(errno)))" }
}
