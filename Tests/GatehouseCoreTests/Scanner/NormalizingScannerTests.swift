import Foundation
import GatehouseCore
import Testing

/// The gate's scanner: what it finds as written is unchanged, disguises are undone, and ordinary
/// multilingual chat, URLs, hashes and ids stay quiet.
@Suite("NormalizingScanner")
struct NormalizingScannerTests {
    let scanner = NormalizingScanner()
    static let key = "AKIAZ3MSJV4WWFMJXHQM"

    @Test(arguments: ["\u{200B}", "\u{00AD}", "\u{2060}", "\u{202E}", "\u{FEFF}"])
    func anInvisibleCharacterInsideAKeyDoesNotHideIt(mark: String) {
        let text = "creds: " + String(Self.key.prefix(8)) + mark + String(Self.key.dropFirst(8)) + " ok"
        let findings = scanner.scan(text)
        #expect(findings.map(\.kind) == ["aws-access-key-id"])
        #expect(findings.first?.severity == .high)
        #expect(Redactor.redact(text, findings: findings) == "creds: [REDACTED:aws-access-key-id] ok")
    }

    @Test func plainTextKeepsExactOffsetsAndMasks() {
        let findings = scanner.scan("key \(Self.key) end")
        #expect(findings.map(\.range) == [4..<24])
        #expect(findings.map(\.masked) == ["AKIA…[20 chars]"])
    }

    @Test func rejoiningDoesNotGlueWordsOntoAKey() throws {
        // Plain and spaced, with ordinary words, numbers and a one-letter word around it.
        for (message, covered) in [
            ("my key is \(Self.key) ok", Self.key),
            ("my key is AKIA Z3MS JV4W WFMJ XHQM and that is it", "AKIA Z3MS JV4W WFMJ XHQM"),
            ("Hello World 2024 key AKIA Z3MS JV4W WFMJ XHQM y nada más", "AKIA Z3MS JV4W WFMJ XHQM"),
        ] {
            let findings = scanner.scan(message)
            #expect(findings.map(\.kind) == ["aws-access-key-id"], "\(message)")
            #expect(findings.first?.range == ScannerFixtures.byteRange(of: covered, in: message), "\(message)")
        }
        #expect(scanner.scan("Hello World 2024, see you at 10 30") == [])
    }

    @Test func agreesWithTheSecretScannerOnEveryDetectorSample() throws {
        // Every true positive is found as the plain scanner finds it, and every negative stays quiet.
        let plain = SecretScanner()
        for (id, samples) in DetectorSamples.all {
            for sample in samples.positives {
                #expect(scanner.scan(sample.message) == plain.scan(sample.message), "\(id): \(sample.message.debugDescription)")
            }
            for negative in samples.negatives {
                #expect(scanner.scan(negative) == [], "\(id): \(negative.debugDescription)")
            }
        }
    }

    @Test func ordinaryChatStaysQuiet() {
        for message in SecretScannerTests.benignMessages + Self.multilingual + Self.lookAlikes {
            #expect(scanner.scan(message) == [], "\(message.debugDescription)")
        }
        let all = (SecretScannerTests.benignMessages + Self.multilingual + Self.lookAlikes).joined(separator: "\n")
        #expect(scanner.scan(all) == [])
    }

    static let multilingual = [
        "Café ☕️ at 10? \u{200B}",
        "👨‍👩‍👧 family trip, 🇩🇪 then 🇫🇷 ❤️🔥",
        "می‌خواهم فردا بیایم، ساعت ۱۰ خوبه؟",
        "Γειά σου! Θα έρθω στις 8, εντάξει;",
        "Приходи в субботу, адрес: ул. Ленина 12, кв. 34. ОК?",
        "２０２４年１２月２４日に会いましょう。ＯＫ？",
        "Ｈｅｌｌｏ ｗｏｒｌｄ，ｓｅｅ ｙｏｕ ａｔ ５",
        "𝐈𝐦𝐩𝐨𝐫𝐭𝐚𝐧𝐭: 𝐦𝐞𝐞𝐭𝐢𝐧𝐠 𝐦𝐨𝐯𝐞𝐝 𝐭𝐨 𝟑𝐩𝐦",
        "x² + y² = z², 10⁶ users, ½ price, № 5, ™ and ©",
        "über naïve résumé — e\u{0301}cole, A\u{0336}B\u{0336}C\u{0336} struck",
    ]

    /// Spaced words, formatting and mixed-script names.
    static let lookAlikes = [
        "H e l l o   W o r l d",
        "T H I S   I S   S P A R T A",
        "a b c d e f g h i j k l m n o p q r s t u v w x y z",
        "I N V O I C E 2024 0517 total 1 2 3 4 5 6 7 8 9 0",
        "*Important*: _please_ read ~all~ of ```this``` and `that`",
        "Dmitriy Иванов, Αλέξανδρος Smith, José Müller, Анна-Maria O'Brien",
        "Ivan Petrov (Иван Петров) and Olga (Ольга) say hi",
        "50% off today! 100% sure, 20%-30% more, 3% APR",
    ]

    @Test func urlsHashesAndIDsStayQuiet() {
        var f = ScannerFixtures(seed: 99)
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52]
        for _ in 0..<2000 { png.append(UInt8(truncatingIfNeeded: f.next())) }
        let messages = [
            "thumbnail: data:image/png;base64,\(Data(png).base64EncodedString())",
            "Fixed in \(f.string(ScannerFixtures.hex, 40)) and \(f.string(ScannerFixtures.hex, 7)); sha256 \(f.string(ScannerFixtures.hex, 64))",
            "ids \(UUID().uuidString) \(UUID().uuidString.lowercased()) \(UUID().uuidString.replacingOccurrences(of: "-", with: ""))",
            "https://shop.example.com/p/123?utm_source=newsletter&utm_medium=email&utm_campaign=spring%20sale%202024"
                + "&gclid=Cj0KCQiA\(f.string(ScannerFixtures.base64URL, 80))&q=caf%C3%A9%20cr%C3%A8me&fbclid=IwAR\(f.string(ScannerFixtures.base64URL, 60))",
            "https://www.google.com/search?q=how+to+rotate+an+aws+key%3F&oq=rotate&sourceid=chrome&ie=UTF-8",
            "mailto:someone@example.com?subject=Hello%20there&body=See%20you%20at%205%25%20past",
            "session \(f.string(ScannerFixtures.base64URL, 43)), nonce \(f.string(ScannerFixtures.base62, 32))",
            "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n"
                + Data("Hello Bob, the meeting moved to 3pm. Cheers, Alice".utf8).base64EncodedString(),
        ]
        for message in messages {
            #expect(scanner.scan(message) == [], "\(message.debugDescription)")
        }
    }

    @Test func nestingBeyondTheDepthIsNotDecoded() {
        let once = Data("aws_access_key_id=\(Self.key)".utf8).base64EncodedString()
        let thrice = Data(Data(once.utf8).base64EncodedString().utf8).base64EncodedString()
        #expect(scanner.scan(thrice) == [])
        #expect(NormalizingScanner(maximumDepth: 3).scan(thrice).map(\.kind) == ["aws-access-key-id"])
        #expect(NormalizingScanner(maximumDepth: 0).scan(once) == [])
    }

    @Test func decodeBudgetBoundsWhatIsDecoded() {
        // Given: 10 KiB of filler before base64 of a key; a 4 KiB budget runs out before it
        let filler = Data(String(repeating: "just some text. ", count: 640).utf8).base64EncodedString()
        let key = Data("id=\(Self.key)".utf8).base64EncodedString()
        let message = filler + " " + key
        #expect(NormalizingScanner(decodeBudget: 4096).scan(message) == [])
        #expect(scanner.scan(message).map(\.kind) == ["aws-access-key-id"])
    }
}
