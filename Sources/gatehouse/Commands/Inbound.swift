import ArgumentParser
import Foundation
import GatehouseCore
import GatehouseService

/// `gatehouse ingest` runs the separate `gatehouse-ingest` executable next to this one: the process
/// that reads untrusted messages links no MCP server and holds no tool. If it was not built (only
/// this product was), the same loop runs here, with a warning: still no tool, but MCP code linked.
struct Ingest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read inbound sources through the inbound gate into the spool (runs gatehouse-ingest).")
    @OptionGroup var locations: Locations
    @Flag(name: .long, help: "Handle what is there now, print a summary and exit.") var once = false
    @Flag(name: .long, help: "On the first run, read the bridge's existing messages too.") var backfill = false
    @Option(name: .long, help: "Seconds between polls.") var interval: Double = 1

    func run() async throws {
        guard interval >= 0.05, interval <= 3600 else { throw ValidationError("--interval must be 0.05 to 3600 seconds") }
        let me = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0])
        let path = me.deletingLastPathComponent().appendingPathComponent("gatehouse-ingest").path
        if FileManager.default.isExecutableFile(atPath: path) {
            let argv = [path] + Array(CommandLine.arguments.drop { $0 != "ingest" }.dropFirst())
            var cArguments = argv.map { strdup($0) } + [nil]
            execv(path, &cArguments)
            throw ValidationError("cannot run \(path): \(String(cString: strerror(errno)))")
        }
        FileHandle.standardError.write(
            Data("gatehouse ingest: \(path) was not built; running in this process (`swift build` builds the separate one)\n".utf8))
        let service = try await locations.service(logger: Log.make("gatehouse.ingest"))
        let code = try await service.runIngest(once: once, backfill: backfill, interval: interval)
        if code != 0 { throw ExitCode(code) }
    }
}

struct Senders: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The sender registry: who may reach the agent.", subcommands: [List.self, Approve.self, Block.self, Revoke.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List senders and the inbound counters.")
        @OptionGroup var locations: Locations
        @Flag(name: .long, help: "JSON lines.") var json = false

        func run() async throws {
            let service = try await locations.service(logger: Log.make("gatehouse.senders"))
            let senders = try await service.senders()
            for sender in senders {
                let masked = (try? RecipientNormalizer.parse(sender.primary).get())?.masked ?? "•••"
                let aliases = sender.aliases.compactMap { try? RecipientNormalizer.parse($0).get().masked }
                if json {
                    try printJSON([
                        "name": sender.name, "masked": masked, "status": sender.status.rawValue,
                        "capabilities": sender.capabilities.map(\.rawValue), "aliases": aliases,
                        "updated_at": AuditTime.format(sender.updatedAt),
                    ])
                } else {
                    let also = aliases.isEmpty ? "" : " also " + aliases.joined(separator: ", ")
                    print("\(sender.status.rawValue)\t\(masked)\t\(sender.name)\t\(sender.capabilities.map(\.rawValue).joined(separator: ","))\(also)")
                }
            }
            let counters = try await service.inboundCounters()
            if json {
                try printJSON(["counters": counters])
            } else {
                print("counters: " + counters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
            }
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Approve a sender (default capability: reach_agent).")
        @OptionGroup var locations: Locations
        @Argument(help: "Number or JID.") var identity: String
        @Option(name: .long) var name: String?
        @Option(name: .long, help: "Comma-separated: reach_agent, receive_replies, send_media, operator_commands.") var capabilities: String?
        @Option(name: .long, help: "The same person's other identity (phone ↔ LID).") var alias: String?

        func run() async throws {
            let service = try await locations.service(logger: Log.make("gatehouse.senders"))
            let list = try capabilities.map { try Capability.parseList($0).get() }
            print(Senders.line(try await service.changeSender(identity, .approve, name: name, capabilities: list, alias: alias)))
        }
    }

    typealias Block = TargetedCommand<BlockSender>
    typealias Revoke = TargetedCommand<RevokeSender>

    static func line(_ record: SenderRecord) -> String {
        let masked = (try? RecipientNormalizer.parse(record.primary).get())?.masked ?? "•••"
        return "\(masked) is \(record.status.rawValue); capabilities: \(record.capabilities.map(\.rawValue).joined(separator: ","))"
    }
}

/// A change that takes one target and nothing else: `gatehouse senders block|revoke <number|JID>`,
/// `gatehouse chats promote|pause|resume|revoke <chat>`. Each kind says what it does and what it prints.
protocol TargetedChange: Sendable {
    static var name: String { get }
    static var abstract: String { get }
    static var target: String { get }
    /// Does the change and returns the line to print.
    static func perform(_ target: String, on service: GatehouseService) async throws -> String
}

struct TargetedCommand<Change: TargetedChange>: AsyncParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(commandName: Change.name, abstract: Change.abstract) }
    @OptionGroup var locations: Locations
    @Argument(help: ArgumentHelp(Change.target)) var target: String

    func run() async throws {
        let service = try await locations.service(logger: Log.make("gatehouse"))
        print(try await Change.perform(target, on: service))
    }
}

/// `gatehouse senders block|revoke`.
protocol SenderStatusChange: TargetedChange {
    static var change: GatehouseService.SenderChange { get }
}

extension SenderStatusChange {
    static var name: String { change.rawValue }
    static var target: String { "Number or JID." }
    static func perform(_ target: String, on service: GatehouseService) async throws -> String {
        Senders.line(try await service.changeSender(target, change))
    }
}

enum BlockSender: SenderStatusChange {
    static let change = GatehouseService.SenderChange.block
    static let abstract = "Block a sender: their messages are dropped silently."
}

enum RevokeSender: SenderStatusChange {
    static let change = GatehouseService.SenderChange.revoke
    static let abstract = "Revoke an approval: the sender becomes pending."
}

func printJSON(_ object: Any) throws {
    let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    print(String(decoding: data, as: UTF8.self))
}

struct Pair: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Owner-initiated pairing codes.", subcommands: [New.self, List.self])

    struct New: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a one-time code; the contact who sends it is approved. Nothing is ever replied.")
        @OptionGroup var locations: Locations
        @Option(name: .long) var name: String
        @Option(name: .long, help: "Comma-separated capabilities (default reach_agent).") var capabilities: String?
        @Option(name: .customLong("ttl-minutes"), help: "Minutes until the code expires (default inbound.pairing.code_ttl_minutes).")
        var ttlMinutes: Int?

        func run() async throws {
            if let ttlMinutes, !(1...10_080).contains(ttlMinutes) { throw ValidationError("--ttl-minutes must be 1 to 10080") }
            let service = try await locations.service(logger: Log.make("gatehouse.pair"))
            let list = try capabilities.map { try Capability.parseList($0).get() } ?? [.reachAgent]
            let (code, expires) = try await service.newPairingCode(name: name, capabilities: list, ttlMinutes: ttlMinutes)
            print(code)
            FileHandle.standardError.write(
                Data("Ask \(name) to send this code to your WhatsApp number before \(AuditTime.format(expires)). It is shown once.\n".utf8))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Pending codes (names and expiry; codes are not kept).")
        @OptionGroup var locations: Locations

        func run() async throws {
            let service = try await locations.service(logger: Log.make("gatehouse.pair"))
            for offer in try await service.pairingOffers() {
                print("\(offer.name)\texpires \(AuditTime.format(offer.expiresAt))\t\(offer.capabilities.map(\.rawValue).joined(separator: ","))")
            }
        }
    }
}

struct Chats: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Service conversations: list, promote, pause, resume, revoke.",
        subcommands: [List.self, Promote.self, Pause.self, Resume.self, Revoke.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List service conversations.")
        @OptionGroup var locations: Locations
        @Flag(name: .long) var json = false

        func run() async throws {
            let service = try await locations.service(logger: Log.make("gatehouse.chats"))
            for chat in try await service.serviceChats() {
                let masked = (try? RecipientNormalizer.parse(chat.jid).get())?.masked ?? "•••"
                if json {
                    try printJSON([
                        "masked": masked, "name": chat.name, "mode": chat.mode.rawValue, "contacted": chat.contacted,
                        "consecutive_sends": chat.consecutiveSends,
                    ])
                } else {
                    print("\(chat.mode.rawValue)\t\(masked)\t\(chat.name)\tcontacted=\(chat.contacted)\tunanswered=\(chat.consecutiveSends)")
                }
            }
        }
    }

    typealias Promote = TargetedCommand<PromoteChat>
    typealias Pause = TargetedCommand<PauseChat>
    typealias Resume = TargetedCommand<ResumeChat>
    typealias Revoke = TargetedCommand<RevokeChat>
}

/// `gatehouse chats promote|pause|resume|revoke`.
protocol ChatModeChange: TargetedChange {
    static var change: GatehouseService.ChatChange { get }
}

extension ChatModeChange {
    static var name: String { change.rawValue }
    static var target: String { "The provider's number, JID or chat name." }
    static func perform(_ target: String, on service: GatehouseService) async throws -> String {
        let updated = try await service.changeChat(target, change)
        return "\((try? RecipientNormalizer.parse(updated.jid).get())?.masked ?? "•••") is now \(updated.mode.rawValue)"
    }
}

enum PromoteChat: ChatModeChange {
    static let change = GatehouseService.ChatChange.promote
    static let abstract = "draft_first → approved_followup: sends go through the gate."
}

enum PauseChat: ChatModeChange {
    static let change = GatehouseService.ChatChange.pause
    static let abstract = "No sends; replies still arrive."
}

enum ResumeChat: ChatModeChange {
    static let change = GatehouseService.ChatChange.resume
    static let abstract = "Back to the mode before the pause."
}

enum RevokeChat: ChatModeChange {
    static let change = GatehouseService.ChatChange.revoke
    static let abstract = "No sends and no inbound from this provider."
}


struct Approvals: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Sends held for a person: list, show, approve (sends now), reject.",
        subcommands: [List.self, Show.self, Approve.self, Reject.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List held sends.")
        @OptionGroup var locations: Locations
        @Flag(name: .long) var json = false
        @Flag(name: .long, help: "Include approved and rejected ones.") var all = false

        func run() async throws {
            let service = try await locations.service(logger: Log.make("gatehouse.approvals"))
            for held in try await service.heldSends() where all || held.state == .pending {
                if json { try printJSON(Approvals.fields(held)) } else { print(Approvals.line(held)) }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one held send in full.")
        @OptionGroup var locations: Locations
        @Argument var id: String

        func run() async throws {
            let service = try await locations.service(logger: Log.make("gatehouse.approvals"))
            let held = try await service.heldSend(id)
            try printJSON(Approvals.fields(held))
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Approve and send now, through every check again.")
        @OptionGroup var locations: Locations
        @Argument var id: String

        func run() async throws {
            let service = try await locations.service(logger: Log.make("gatehouse.approvals"))
            let report = try await service.approveHeld(id)
            let reasons = report.reasons.map { "\($0.detail) [\($0.code.rawValue)]" }.joined(separator: "; ")
            print("\(report.status.rawValue)\(reasons.isEmpty ? "" : ": " + reasons) (decision \(report.decisionID))")
            if report.status != .sent { throw ExitCode(1) }
        }
    }

    struct Reject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reject: nothing is sent.")
        @OptionGroup var locations: Locations
        @Argument var id: String
        @Option(name: .long) var note: String?

        func run() async throws {
            let service = try await locations.service(logger: Log.make("gatehouse.approvals"))
            let held = try await service.rejectHeld(id, note: note)
            print("\(held.id) rejected")
        }
    }

    static func fields(_ held: HeldSend) -> [String: Any] {
        let masked = (try? RecipientNormalizer.parse(held.recipient).get())?.masked ?? "•••"
        return [
            "id": held.id, "state": held.state.rawValue, "tool": held.tool, "recipient_masked": masked,
            "recipient_name": held.recipientName ?? NSNull(), "kind": held.kind, "text": held.text ?? NSNull(),
            "file_sha256": held.fileDigest ?? NSNull(),
            "caption": held.caption ?? NSNull(), "file_path": held.filePath ?? NSNull(), "reason": held.reason,
            "service_chat": held.serviceChat, "created_at": AuditTime.format(held.createdAt),
        ]
    }

    static func line(_ held: HeldSend) -> String {
        let masked = (try? RecipientNormalizer.parse(held.recipient).get())?.masked ?? "•••"
        // The agent wrote the text: one sanitised line, so no escape or bidi sequence can disguise it.
        let preview = InboundText.label(held.text ?? held.caption ?? "")
        return "\(held.id)\t\(held.state.rawValue)\t\(InboundText.label(held.recipientName ?? masked))\t\(held.reason)\t\(preview)"
    }
}
