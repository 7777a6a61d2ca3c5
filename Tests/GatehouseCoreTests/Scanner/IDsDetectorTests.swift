import Testing

@testable import GatehouseCore

/// The IBAN and national-ID detectors: check arithmetic against published examples, boundaries, context,
/// and the shared sweep's behaviour on many numbers at once.
@Suite("IBAN and national IDs")
struct IDsDetectorTests {
    let scanner = SecretScanner()

    static func digits(_ s: String) -> [Int] { s.compactMap(\.wholeNumberValue) }

    func kinds(_ text: String) -> [String] { scanner.scan(text).map(\.kind) }

    // MARK: Check arithmetic, on the issuers' published examples

    @Test func checksumsAcceptPublishedExamples() {
        #expect(NationalIDChecksum.luhn(Self.digits("79927398713")))
        #expect(NationalIDChecksum.verhoeff(Self.digits("2363")))
        #expect(NationalIDChecksum.elevenProof(Self.digits("111222333")))
        #expect(NationalIDChecksum.nhsNumber(Self.digits("9434765919")))
        #expect(NationalIDChecksum.cpf(Self.digits("52998224725")))
        #expect(NationalIDChecksum.pesel(Self.digits("44051401359")))
        #expect(NationalIDChecksum.tfn(Self.digits("123456782")))
        #expect(NationalIDChecksum.swedishPersonnummer(Self.digits("8112189876")))
        #expect(NationalIDChecksum.swedishPersonnummer(Self.digits("198112189876")))
        #expect(NationalIDChecksum.spanishControlLetter(12_345_678) == UInt8(ascii: "Z"))
        #expect(NationalIDChecksum.spanishControlLetter(1_234_567) == UInt8(ascii: "L"))  // NIE X1234567L
        #expect(
            NationalIDChecksum.singaporeCheckLetter(prefix: UInt8(ascii: "S"), Self.digits("1234567"))
                == UInt8(ascii: "D"))
        #expect(NationalIDChecksum.chineseCheckCharacter(Self.digits("11010519491231002")) == UInt8(ascii: "X"))
        #expect(NationalIDChecksum.finnishCheckCharacter(131_052_308) == UInt8(ascii: "T"))
        #expect(NationalIDChecksum.frenchKey(2_690_549_588_157) == 80)
    }

    @Test func checksumsRejectSingleDigitErrors() {
        #expect(!NationalIDChecksum.luhn(Self.digits("79927398710")))
        #expect(!NationalIDChecksum.verhoeff(Self.digits("2364")))
        #expect(!NationalIDChecksum.verhoeff(Self.digits("3263")))  // adjacent swap
        #expect(!NationalIDChecksum.elevenProof(Self.digits("111222334")))
        #expect(!NationalIDChecksum.elevenProof(Self.digits("000000000")))  // sum 0
        #expect(!NationalIDChecksum.nhsNumber(Self.digits("9434765918")))
        #expect(!NationalIDChecksum.cpf(Self.digits("52998224724")))
        #expect(!NationalIDChecksum.cpf(Self.digits("11111111111")))
        #expect(!NationalIDChecksum.pesel(Self.digits("44051401358")))
        #expect(!NationalIDChecksum.tfn(Self.digits("123456783")))
    }

    @Test func datesAreCalendarDates() {
        #expect(NationalIDChecksum.isDate(year: 2000, month: 2, day: 29))
        #expect(!NationalIDChecksum.isDate(year: 1900, month: 2, day: 29))
        #expect(!NationalIDChecksum.isDate(year: 2023, month: 4, day: 31))
        #expect(!NationalIDChecksum.isDate(year: 2023, month: 13, day: 1))
        #expect(!NationalIDChecksum.isDate(year: 2023, month: 1, day: 0))
        var f = ScannerFixtures()
        for _ in 0..<50 { #expect(NationalIDChecksum.pesel(f.pesel())) }
    }

    @Test func ssnAndITINRules() {
        #expect(NationalIDChecksum.isSSN(area: 1, group: 1, serial: 1))
        #expect(!NationalIDChecksum.isSSN(area: 0, group: 12, serial: 3456))
        #expect(!NationalIDChecksum.isSSN(area: 666, group: 12, serial: 3456))
        #expect(!NationalIDChecksum.isSSN(area: 900, group: 12, serial: 3456))
        #expect(!NationalIDChecksum.isSSN(area: 123, group: 0, serial: 3456))
        #expect(!NationalIDChecksum.isSSN(area: 123, group: 45, serial: 0))
        #expect(!NationalIDChecksum.isSSN(area: 78, group: 5, serial: 1120))  // the Woolworth wallet card
        #expect(NationalIDChecksum.isITIN(area: 912, group: 70, serial: 1234))
        #expect(NationalIDChecksum.isITIN(area: 912, group: 94, serial: 1234))
        for group in [49, 66, 69, 89, 93] { #expect(!NationalIDChecksum.isITIN(area: 912, group: group, serial: 1234)) }
    }

    @Test func ninoPrefixRules() {
        func prefix(_ s: String) -> Bool {
            let b = Array(s.utf8)
            return NationalIDChecksum.isNINOPrefix(b[0], b[1])
        }
        #expect(prefix("AB") && prefix("JG") && prefix("ZY"))
        for bad in ["DA", "FA", "IA", "QA", "UA", "VA", "AD", "AO", "BG", "GB", "KN", "NK", "NT", "TN", "ZZ"] {
            #expect(!prefix(bad), "\(bad)")
        }
    }

    @Test func placeholdersAreCountingOrRepeatedDigits() {
        #expect(NationalIDChecksum.isPlaceholder(Self.digits("123456789")))
        #expect(NationalIDChecksum.isPlaceholder(Self.digits("987654321")))
        #expect(NationalIDChecksum.isPlaceholder(Self.digits("7890123")))
        #expect(NationalIDChecksum.isPlaceholder(Self.digits("00000000")))
        #expect(!NationalIDChecksum.isPlaceholder(Self.digits("123456782")))
    }

    // MARK: IBAN

    @Test func everyRegistryCountryIsFoundSolidAndGrouped() {
        var f = ScannerFixtures()
        for (country, length) in IBANValidator.lengths.sorted(by: { $0.key < $1.key }) {
            let solid = f.iban(country: country, bbanLength: length - 4)
            let grouped = f.iban(country: country, bbanLength: length - 4, letters: 4, grouped: true)
            for iban in [solid, grouped, solid.lowercased()] {
                let findings = scanner.scan("IBAN \(iban) ok")
                #expect(findings.map(\.kind) == ["iban"], "\(country): \(findings)")
                #expect(findings.first?.range == ScannerFixtures.byteRange(of: iban, in: "IBAN \(iban) ok"))
                #expect(findings.first?.severity == .medium)
                #expect(findings.first?.category == .personal)
            }
            // One character short or long is another length: not this country's IBAN.
            #expect(kinds(String(solid.dropLast())) == [], "\(country)")
        }
    }

    @Test func ibanGroupsMustBeFoursSeparatedByOneSpace() {
        var f = ScannerFixtures()
        let solid = f.iban(country: "DE", bbanLength: 18)
        #expect(kinds(ScannerFixtures.grouped(solid, [4, 4, 4, 4, 4, 2], separator: "  ")) == [])
        #expect(kinds(ScannerFixtures.grouped(solid, [4, 4, 4, 4, 4, 2], separator: "-")) == [])
        #expect(kinds(ScannerFixtures.grouped(solid, [4, 6, 4, 4, 4], separator: " ")) == [])
        #expect(kinds(ScannerFixtures.grouped(solid, [4, 4, 4, 4, 4, 2], separator: " ")) == ["iban"])
    }

    @Test func groupedIBANIsNotAlsoACard() {
        // A Saint Lucia IBAN holds 24 digits in groups of four: the card sweep may see a card in them, and
        // the merge reports the one IBAN.
        var f = ScannerFixtures()
        for _ in 0..<200 {
            let iban = f.iban(country: "LC", bbanLength: 28, letters: 4, grouped: true)
            let findings = scanner.scan("to \(iban) pls")
            #expect(findings.map(\.kind) == ["iban"], "\(iban)")
        }
    }

    // MARK: Context and boundaries

    @Test func weakChecksNeedContextWithinTheWindow() {
        var f = ScannerFixtures()
        let bsn = ScannerFixtures.text(f.bsn())
        #expect(kinds("BSN: \(bsn)") == ["nl-bsn"])
        #expect(kinds("BSN \(String(repeating: "x", count: 60)) \(bsn)") == [])
        // Context words are whole words: "absn" and "bsnx" are not "bsn".
        #expect(kinds("absn \(bsn)") == [])
        // Upper-case-only words: "SIN" but not Spanish "sin".
        let sin = ScannerFixtures.text(f.sin())
        #expect(kinds("SIN \(sin)") == ["ca-sin"])
        #expect(kinds("sin \(sin)") == [])
    }

    @Test func numbersInsideLongerNumbersAreNotIDs() {
        var f = ScannerFixtures()
        let ssn = ScannerFixtures.dashed(f.ssnDigits(), [3, 2, 4])
        #expect(kinds(ssn) == ["us-ssn"])
        for text in [
            "1-\(ssn)", "\(ssn)-1", "+\(ssn)", "x\(ssn)", "\(ssn)x",
            "1.\(ssn)", "\(ssn).5",
        ] {
            #expect(kinds(text) == [], "\(text)")
        }
        let aadhaar = ScannerFixtures.dashed(f.aadhaar(), [4, 4, 4], " ")
        #expect(kinds("Aadhaar \(aadhaar)") == ["in-aadhaar"])
        #expect(kinds("Aadhaar \(aadhaar) 1234") == [])
        #expect(kinds("Aadhaar 12 \(aadhaar)") == [])
    }

    @Test func hetuAcceptsEveryCenturySign() {
        for (sign, year) in [("+", 1852), ("-", 1952), ("Y", 1952), ("U", 1952), ("A", 2012), ("F", 2012)] {
            let yy = ScannerFixtures.twoDigits(year % 100)
            let body = "1310" + yy + "308"
            let check = Array("0123456789ABCDEFHJKLMNPRSTUVWXY")[Int(body)! % 31]
            let hetu = "1310\(yy)\(sign)308\(check)"
            #expect(kinds("HETU \(hetu)") == ["fi-hetu"], "\(hetu)")
        }
        // 29 February exists in 2000 but not in 1900.
        for (sign, expected) in [("A", ["fi-hetu"]), ("-", [])] {
            let check = Array("0123456789ABCDEFHJKLMNPRSTUVWXY")[290_200_308 % 31]
            #expect(kinds("290200\(sign)308\(check)") == expected)
        }
    }

    @Test func findingsNeverShowDigits() {
        var f = ScannerFixtures()
        let all = DetectorSamples.ids(&f)
        for (id, samples) in all where id != "iban" {
            for sample in samples.positives {
                for finding in scanner.scan(sample.message) {
                    let showsDigit = finding.masked.contains { $0.isNumber }
                    #expect(!showsDigit, "\(id): \(finding.masked)")
                }
            }
        }
    }

    // MARK: Payment cards

    @Test func everyMajorCardNetworkIsFound() {
        var f = ScannerFixtures()
        let networks: [(String, Int)] = [
            ("4", 16), ("51", 16), ("2221", 16), ("2720", 16), ("34", 15), ("37", 15), ("6011", 16), ("65", 16),
            ("3530", 16), ("36", 14), ("300", 14), ("62", 16), ("62", 19), ("2200", 16), ("2204", 19),  // Mir
            ("50", 16), ("56", 19), ("6304", 19), ("67", 16),  // Maestro
            ("60", 16), ("81", 16), ("82", 16), ("508", 16),  // RuPay
            ("9792", 16),  // Troy
            ("637", 16),  // InstaPayment
        ]
        for (prefix, length) in networks {
            let card = f.card(prefix: prefix, length: length)
            #expect(kinds("card \(card)") == ["payment-card"], "\(prefix) \(length)")
        }
        // Luhn-valid but no network: 1, 7, 9 other than Troy, 8 other than 81/82.
        for prefix in ["1", "7", "99", "83"] {
            #expect(kinds("card \(f.card(prefix: prefix, length: 16))") == [], "\(prefix)")
        }
        // Maestro numbers shorter than 16 digits are left out: they look like any other number.
        #expect(kinds("ref \(f.card(prefix: "58", length: 14))") == [])
    }

    // MARK: Many at once

    @Test func denseIDsAreAllFound() {
        var f = ScannerFixtures()
        var parts: [String] = []
        for i in 0..<6_000 {
            switch i % 6 {
            case 0: parts.append(f.iban(country: "DE", bbanLength: 18, grouped: true))
            case 1: parts.append("BSN \(ScannerFixtures.text(f.bsn()))")
            case 2: parts.append(f.dni())
            case 3: parts.append(f.chineseID())
            case 4: parts.append(f.hetu())
            default: parts.append(f.nric(prefix: "S"))
            }
        }
        let findings = scanner.scan(parts.joined(separator: " ; "))
        #expect(findings.count == 6_000)
        #expect(Set(findings.map(\.kind)) == ["iban", "nl-bsn", "es-dni", "cn-resident-id", "fi-hetu", "sg-nric"])
    }

    @Test func chatWithNumbersIsQuiet() {
        let messages = [
            "Order 123456789 shipped, tracking 1Z999AA10123456784, ETA 2024-03-05 14:30.",
            "Call me at +44 20 7946 0958 or 020 7946 0958.",
            "Invoice INV-2024-000123: total €1.234,56 due 31/03/2024.",
            "Commit 9fceb02d0ae598e95dc970b74767f19372d61af8 fixes #4521.",
            "uuid 123e4567-e89b-12d3-a456-426614174000, build 20240305.1",
            "Meet at 10:30, room 4B, floor 12. Temperature 21.5 °C.",
            "https://shop.example.com/p/12345678?utm_source=news&gclid=Cj0KCQiA",
            "El pedido 12345678 llegará el 5 de marzo, sin 2 cajas.",
            "Your SSN should never be shared; the format is XXX-XX-XXXX.",
            "IBAN? I'll send it later. My BIC is DEUTDEFF.",
            "Tel: 0612345678, postcode 1234 AB, huisnummer 12.",
            "Der Termin ist am 12.03.2024 um 9 Uhr, Raum 2.13.",
            "Amount: 1 234 567 890 JPY",
        ]
        for message in messages { #expect(scanner.scan(message) == [], "\(message)") }
    }
}
