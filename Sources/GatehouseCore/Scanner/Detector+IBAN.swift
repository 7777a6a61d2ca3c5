extension Detector {
    /// International Bank Account Numbers (ISO 13616): a country code, two check digits and the national
    /// BBAN, of the exact length the SWIFT IBAN registry gives the country, with a valid ISO 7064 mod-97
    /// check. Written solid (`DE89370400440532013000`) or in groups of four separated by single spaces
    /// (`DE89 3704 0044 0532 0130 00`); letters in any case.
    ///
    /// Countries: every one in the SWIFT registry (release 98, 2024), the territories that use their
    /// parent's format (French overseas departments, Åland, the Crown Dependencies), and the "experimental"
    /// IBANs banks in West and Central Africa, Algeria, Iran and others publish outside the registry.
    /// Severity medium: people share their own IBAN to get paid; policy can raise it. The mask shows the
    /// country and the last four characters, as bank statements do. Found by the shared number sweep.
    public static let iban = Detector(
        id: "iban",
        summary: "An international bank account number; personal financial data.",
        category: .personal,
        family: .payment,
        severity: .medium,
        keywords: [],
        validator: .sharedSweep(IdentityNumberSweep.shared)
    )
}

enum IBANValidator {
    /// The IBAN starting at `start` (its country code), if there is one.
    static func match(_ t: ScanText, start: Int) -> DetectorMatch? {
        let a = t[start] & ~0x20
        let b = t[start + 1] & ~0x20
        guard ScanBytes.isUpper(a), ScanBytes.isUpper(b) else { return nil }
        let length = Int(lengthByCode[Int(a - 0x41) * 26 + Int(b - 0x41)])
        guard length > 0 else { return nil }
        // Where each of the `length` characters is: solid, or grouped by four when a space follows the first four.
        let grouped = t[start + 4] == 0x20
        var offsets: [Int] = []
        offsets.reserveCapacity(length)
        var i = start
        while offsets.count < length {
            if grouped && offsets.count > 0 && offsets.count % 4 == 0 {
                guard t[i] == 0x20 else { return nil }
                i += 1
            }
            guard ScanBytes.isAlnum(t[i]) else { return nil }
            offsets.append(i)
            i += 1
        }
        guard !ScanBytes.isAlnum(t[i]), t[i] != 0x5F else { return nil }
        guard ScanBytes.isDigit(t[start + 2]), ScanBytes.isDigit(t[start + 3]), hasValidCheck(t, offsets),
            !isPlaceholder(t, offsets), !isDocumentationExample(t, offsets)
        else { return nil }
        var last4: [UInt8] = []
        for k in (length - 4)..<length {
            last4.append(t[offsets[k]] & (ScanBytes.isLetter(t[offsets[k]]) ? ~0x20 : 0xFF))
        }
        let mask = "IBAN " + String(decoding: [a, b], as: UTF8.self) + " …" + String(decoding: last4, as: UTF8.self)
        return DetectorMatch(range: start..<i, mask: .fixed(mask))
    }

    /// ISO 7064 MOD 97-10: the BBAN, then the country code and check digits, read with A = 10 … Z = 35,
    /// leave remainder 1 modulo 97. Check digits 00, 01 and 99 are never produced.
    static func hasValidCheck(_ t: ScanText, _ offsets: [Int]) -> Bool {
        let checkDigits = Int(t[offsets[2]] &- 0x30) * 10 + Int(t[offsets[3]] &- 0x30)
        guard (2...98).contains(checkDigits) else { return false }
        var remainder = 0
        for k in 0..<offsets.count {
            let b = t[offsets[(k + 4) % offsets.count]]
            if ScanBytes.isDigit(b) {
                remainder = (remainder * 10 + Int(b &- 0x30)) % 97
            } else {
                remainder = (remainder * 100 + Int((b | 0x20) &- 0x61) + 10) % 97
            }
        }
        return remainder == 1
    }

    /// A BBAN of one repeated character or a counting run (`DE.. 1234 5678 9…`) is a stand-in.
    private static func isPlaceholder(_ t: ScanText, _ offsets: [Int]) -> Bool {
        var d: [Int] = []
        for k in 4..<offsets.count {
            let b = t[offsets[k]]
            guard ScanBytes.isDigit(b) else { return false }
            d.append(Int(b &- 0x30))
        }
        return NationalIDChecksum.isPlaceholder(d)
    }

    /// Whether the IBAN is one of the examples that documentation, tutorials and test suites reuse
    /// (Wikipedia's and the SWIFT registry's for the most-quoted countries): nobody's account, as
    /// `AKIAIOSFODNN7EXAMPLE` is nobody's key. Only consulted once the check digits pass.
    private static func isDocumentationExample(_ t: ScanText, _ offsets: [Int]) -> Bool {
        let compact = String(
            decoding: offsets.map { t[$0] & (ScanBytes.isLetter(t[$0]) ? ~0x20 : 0xFF) }, as: UTF8.self)
        return documentationExamples.contains(compact)
    }

    private static let documentationExamples: Set<String> = [
        "DE89370400440532013000", "DE02120300000000202051", "DE75512108001245126199", "GB82WEST12345698765432",
        "GB29NWBK60161331926819", "GB33BUKB20201555555555", "FR7630006000011234567890189",
        "FR1420041010050500013M02606", "NL91ABNA0417164300", "NL02ABNA0123456789", "BE68539007547034",
        "BE71096123456769", "CH9300762011623852957", "CH5604835012345678009", "ES9121000418450200051332",
        "IT60X0542811101000000123456", "AT611904300234573201", "PL61109010140000071219812874",
        "SE4550000000058398257466", "DK5000400440116243", "FI2112345600000785", "NO9386011117947",
        "IE29AIBK93115212345678", "LU280019400644750000", "PT50000201231234567890154", "SA0380000000608010167519",
    ]

    /// `lengths` indexed by the two letters (A = 0), 0 for codes without IBANs: no hashing in the sweep.
    private static let lengthByCode: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 26 * 26)
        for (code, length) in lengths {
            let letters = Array(code.utf8)
            table[Int(letters[0] - 0x41) * 26 + Int(letters[1] - 0x41)] = UInt8(length)
        }
        return table
    }()

    /// IBAN length by country code.
    static let lengths: [String: Int] = {
        var table: [String: Int] = [
            // SWIFT IBAN registry.
            "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BI": 27,
            "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27, "DK": 18, "DO": 28,
            "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23,
            "GL": 18, "GR": 27, "GT": 28, "HN": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26,
            "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21,
            "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28,
            "NL": 18, "NO": 15, "OM": 23, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22,
            "RU": 33, "SA": 24, "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25,
            "SV": 28, "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
            // Experimental: published by national banks but not (yet) in the registry.
            "AO": 25, "BF": 28, "BJ": 28, "CF": 27, "CG": 27, "CI": 28, "CM": 27, "CV": 25, "DZ": 26, "GA": 27,
            "GQ": 27, "GW": 25, "IR": 26, "KM": 27, "MA": 28, "MG": 27, "ML": 28, "MZ": 25, "NE": 28, "SN": 28,
            "TD": 27, "TG": 28,
        ]
        // Territories that use their parent's format under their own code.
        for code in ["GF", "GP", "MQ", "RE", "PF", "TF", "YT", "NC", "BL", "MF", "PM", "WF"] { table[code] = 27 }
        table["AX"] = 18
        for code in ["IM", "JE", "GG"] { table[code] = 22 }
        return table
    }()
}
