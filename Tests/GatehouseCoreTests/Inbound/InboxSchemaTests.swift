import Foundation
import Testing

@testable import GatehouseCore

@Suite struct DropEventTests {
    static let valid = #"{"schema":"gatehouse.drop/1","id":"3EB0A1","chat":"447700900123@s.whatsapp.net","sender":"447700900123","timestamp":"2026-11-29T12:00:00Z","text":"hi","from_me":false}"#

    @Test func aValidEventIsRead() throws {
        let event = try DropEvent.parse(Self.valid).get()
        #expect(event.sourceID == "3EB0A1")
        #expect(event.text == "hi")
        #expect(event.sentAt == Date(timeIntervalSince1970: 1_795_953_600))
        let unix = Self.valid.replacingOccurrences(of: #""2026-11-29T12:00:00Z""#, with: "1795953600")
        #expect(try DropEvent.parse(unix).get().sentAt == event.sentAt)
    }

    @Test func optionalFieldsAndAnAttachmentAreRead() throws {
        let digest = String(repeating: "ab", count: 32)
        let head = String(Self.valid.dropLast()) + #","sender_name":"Alice","chat_name":null,"#
        let text = head + #""attachment":{"sha256":""# + digest + #"","mime":"image/jpeg","size":12,"filename":"x.jpg"}}"#
        let event = try DropEvent.parse(text).get()
        #expect(event.senderName == "Alice")
        #expect(event.attachment == InboxAttachment(sha256: String(repeating: "ab", count: 32), mime: "image/jpeg", size: 12))
    }

    @Test func unknownMissingAndMistypedFieldsAreRefused() {
        let valid = Self.valid
        let open = String(valid.dropLast())
        let digest = String(repeating: "ab", count: 32)
        var cases: [String] = []
        cases.append(open + #","extra":1}"#)
        cases.append(valid.replacingOccurrences(of: #","from_me":false"#, with: ""))
        cases.append(valid.replacingOccurrences(of: #""from_me":false"#, with: #""from_me":"no""#))
        cases.append(valid.replacingOccurrences(of: #""text":"hi""#, with: #""text":5"#))
        cases.append(valid.replacingOccurrences(of: "gatehouse.drop/1", with: "gatehouse.drop/2"))
        cases.append(valid.replacingOccurrences(of: #""timestamp":"2026-11-29T12:00:00Z""#, with: #""timestamp":"2026-11-29 12:00:00""#))
        cases.append(valid.replacingOccurrences(of: #""id":"3EB0A1""#, with: #""id":"""#))
        cases.append(open + #","attachment":{"sha256":"zz","mime":"image/jpeg","size":1}}"#)
        cases.append(open + #","attachment":{"sha256":""# + digest + #"","mime":"image/jpeg","size":1,"path":"/etc/passwd"}}"#)
        cases += ["[]", "not json", ""]
        for text in cases {
            guard case .failure = DropEvent.parse(text) else {
                Issue.record("accepted: \(text)")
                continue
            }
        }
    }
}

@Suite struct InboxRecordTests {
    static let key = AuditChainKey(bytes: Array(repeating: 7, count: 32))

    static func record(text: String = "hello") -> InboxRecord {
        InboxRecord(
            id: InboxID.message(source: "drop", sourceID: "1", chat: "c", key: key), source: .drop,
            receivedAt: Date(timeIntervalSince1970: 1_795_953_600.123), sentAt: Date(timeIntervalSince1970: 1_795_953_000),
            chatID: InboxID.chat("447700900123@s.whatsapp.net", key: key), chatKind: .direct, chatName: "Alice",
            senderID: InboxID.sender("447700900123@s.whatsapp.net", key: key), senderName: "Alice", senderMasked: "+44•••••••123",
            text: text, textTruncated: false, isCommand: false, attachment: nil, attachmentWithheld: false)
    }

    @Test func aRecordRoundTripsThroughItsSchema() throws {
        let record = Self.record()
        let read = try InboxRecord.validate(record.json.canonical, maxTextCharacters: 100).get()
        #expect(read == record)
        #expect(record.json.canonical.contains(#""provenance":"untrusted""#))
    }

    @Test func tamperedRecordsAreRefused() throws {
        let good = Self.record().json.canonical
        let cases = [
            good.replacingOccurrences(of: #""provenance":"untrusted""#, with: #""provenance":"trusted""#),
            good.replacingOccurrences(of: #""is_command":false"#, with: #""is_command":"yes""#),
            good.replacingOccurrences(of: #""text":"hello""#, with: #""text":"he\u202Ello""#),
            good.replacingOccurrences(of: #""chat_kind":"direct""#, with: #""chat_kind":"owner""#),
            good.replacingOccurrences(of: #""id":"m_"#, with: #""id":"x_"#),
            good.replacingOccurrences(of: #""schema":"#, with: #""extra":1,"schema":"#),
            good.replacingOccurrences(of: #""attachment":null,"#, with: ""),
        ]
        for text in cases {
            guard case .failure = InboxRecord.validate(text, maxTextCharacters: 100) else {
                Issue.record("accepted: \(text)")
                continue
            }
        }
        guard case .failure = InboxRecord.validate(Self.record(text: String(repeating: "x", count: 101)).json.canonical, maxTextCharacters: 100)
        else {
            Issue.record("an over-long text accepted")
            return
        }
    }

    @Test func idsAreKeyedAndStable() {
        let other = AuditChainKey(bytes: Array(repeating: 8, count: 32))
        let jid = "447700900123@s.whatsapp.net"
        #expect(InboxID.chat(jid, key: Self.key) == InboxID.chat(jid, key: Self.key))
        #expect(InboxID.chat(jid, key: Self.key) != InboxID.chat(jid, key: other))
        #expect(!InboxID.chat(jid, key: Self.key).contains("447700900123"))
        #expect(InboxID.chat(jid, key: Self.key).count == 18)
    }
}
