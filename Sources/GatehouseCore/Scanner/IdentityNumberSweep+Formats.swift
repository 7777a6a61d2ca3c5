/// Which formats can start at a digit run, by the run's length and neighbours.
///
/// Formats with letters in fixed places, or a date and a check together, stand alone: IBAN, NINO, DNI, NIE,
/// NRIC/FIN, Chinese ID, HETU, NIR, the dashed SSN/ITIN, the punctuated CPF and the dashed personnummer.
/// Bare or space-grouped digits with a weak check (Luhn, mod 11, Verhoeff, 11-proof: one random number in
/// ten passes) or none need a context word before them (``IdentityNumberKind/contextWords``).
extension IdentityNumberSweep {
    /// The ID found from the digit run `run`, which may start a few bytes before it (`DE89…`, `X1234567L`).
    static func match(_ t: ScanText, run: Range<Int>) -> SharedSweep.Match? {
        let s = run.lowerBound
        let before = t[s - 1]
        if ScanBytes.isLetter(before) { return letterPrefixed(t, run: run) }
        guard startsToken(t, at: s) else { return nil }
        let after = t[run.upperBound]
        switch run.count {
        case 1: return after == 0x20 ? frenchNIR(t, from: s) : nil
        case 2: return before == 0x20 ? spacedNINO(t, run: run) : nil
        case 3: return threeDigitLead(t, from: s, separator: after)
        case 4:
            if after == 0x20 || after == 0x2D {
                return contextual([.inAadhaar], t, from: s, sizes: [4, 4, 4], separator: after)
            }
            return after == 0x2E ? contextual([.nlBSN], t, from: s, sizes: [4, 2, 3], separator: after) : nil
        case 6:
            if after == 0x20 { return chineseResidentID(t, from: s, grouped: true) }
            return finnishHETU(t, run: run) ?? swedishDashed(t, run: run) ?? frenchNIR(t, from: s)
        case 7: return before == 0x2D ? spanishNIE(t, run: run) : nil
        case 8: return spanishDNI(t, run: run) ?? swedishDashed(t, run: run) ?? solid([.auTFN, .nlBSN], t, run)
        case 9: return solid([.usSSN, .usITIN, .caSIN, .auTFN, .nlBSN], t, run)
        case 10: return solid([.ukNHSNumber, .sePersonnummer], t, run)
        case 11: return solid([.plPESEL, .brCPF], t, run)
        case 12: return solid([.inAadhaar, .sePersonnummer], t, run)
        case 15: return frenchNIR(t, from: s)
        case 17, 18: return chineseResidentID(t, from: s, grouped: false)
        default: return nil
        }
    }

    /// Runs right after a letter: IBAN and NINO after two letters, NIE and NRIC/FIN after one.
    private static func letterPrefixed(_ t: ScanText, run: Range<Int>) -> SharedSweep.Match? {
        let s = run.lowerBound
        if ScanBytes.isLetter(t[s - 2]) {
            guard isWordStart(t, s - 2) else { return nil }
            if let iban = IBANValidator.match(t, start: s - 2) {
                return SharedSweep.Match(detectorID: IdentityNumberKind.iban.rawValue, match: iban)
            }
            return run.count == 6 ? solidNINO(t, run: run) : nil
        }
        guard isWordStart(t, s - 1), run.count == 7 else { return nil }
        return spanishNIE(t, run: run) ?? singaporeNRIC(t, run: run)
    }

    /// Whether a word starts at `offset`: the byte before is no letter, digit or underscore.
    private static func isWordStart(_ t: ScanText, _ offset: Int) -> Bool {
        let b = t[offset - 1]
        return !ScanBytes.isAlnum(b) && b != 0x5F
    }

    // MARK: Digits only

    /// A solid run of digits: the first of `kinds` whose check passes and whose context word precedes it.
    private static func solid(_ kinds: [IdentityNumberKind], _ t: ScanText, _ run: Range<Int>) -> SharedSweep.Match? {
        guard endsToken(t, at: run.upperBound) else { return nil }
        return confirmed(kinds, t, run)
    }

    /// Digits in `sizes` groups joined by `separator`, confirmed as for ``solid(_:_:_:)``.
    private static func contextual(
        _ kinds: [IdentityNumberKind], _ t: ScanText, from s: Int, sizes: [Int], separator: UInt8
    ) -> SharedSweep.Match? {
        guard let end = groupedEnd(t, from: s, sizes: sizes, separator: separator) else { return nil }
        return confirmed(kinds, t, s..<end)
    }

    private static func confirmed(_ kinds: [IdentityNumberKind], _ t: ScanText, _ range: Range<Int>) -> SharedSweep
        .Match?
    {
        let d = digits(t, range)
        for kind in kinds where kind.isValid(d) && hasContext(t, before: range.lowerBound, kind.contextWords) {
            return found(kind, range)
        }
        return nil
    }

    /// `123-45-6789` stands alone as an SSN or ITIN; `123 45 6789`, `123 456 789` (SIN, TFN) and
    /// `943 476 5919` (NHS) need context; `123.456.789-09` is a CPF.
    private static func threeDigitLead(_ t: ScanText, from s: Int, separator: UInt8) -> SharedSweep.Match? {
        switch separator {
        case 0x2D:
            if let end = groupedEnd(t, from: s, sizes: [3, 2, 4], separator: separator) {
                let d = digits(t, s..<end)
                for kind in [IdentityNumberKind.usITIN, .usSSN] where kind.isValid(d) { return found(kind, s..<end) }
                return nil
            }
        case 0x20:
            if let match = contextual([.usSSN, .usITIN], t, from: s, sizes: [3, 2, 4], separator: separator) {
                return match
            }
        case 0x2E:
            return brazilianCPF(t, from: s)
        default:
            return nil
        }
        return contextual([.caSIN, .auTFN], t, from: s, sizes: [3, 3, 3], separator: separator)
            ?? contextual([.ukNHSNumber], t, from: s, sizes: [3, 3, 4], separator: separator)
    }

    /// `000.000.000-00`, the way CPFs are printed; the two check digits make it safe without context.
    private static func brazilianCPF(_ t: ScanText, from s: Int) -> SharedSweep.Match? {
        let end = s + 14
        for (offset, separator) in [(3, UInt8(0x2E)), (7, 0x2E), (11, 0x2D)] where t[s + offset] != separator {
            return nil
        }
        for i in s..<end where ![3, 7, 11].contains(i - s) && !ScanBytes.isDigit(t[i]) { return nil }
        guard endsToken(t, at: end), IdentityNumberKind.brCPF.isValid(digits(t, s..<end)) else { return nil }
        return found(.brCPF, s..<end)
    }

    // MARK: Dates inside

    /// Finnish HETU `DDMMYYCNNNK`: the century sign C is `+` (1800s), `-` or `U`–`Y` (1900s) or `A`–`F`
    /// (2000s; the letters since 2023), NNN the individual number 002–999, K the mod-31 check character.
    private static func finnishHETU(_ t: ScanText, run: Range<Int>) -> SharedSweep.Match? {
        let s = run.lowerBound
        let sign = t[s + 6]
        let century: Int
        switch sign {
        case 0x2B: century = 1800
        case 0x2D, 0x55...0x59: century = 1900
        case 0x41...0x46: century = 2000
        default: return nil
        }
        let check = t[s + 10]
        guard ScanBytes.isDigit(t[s + 7]), ScanBytes.isDigit(t[s + 8]), ScanBytes.isDigit(t[s + 9]),
            ScanBytes.isDigit(check) || ScanBytes.isUpper(check), endsToken(t, at: s + 11)
        else { return nil }
        let d = digits(t, s..<(s + 10))
        let n = NationalIDChecksum.number
        guard n(d, 6..<9) >= 2,
            NationalIDChecksum.isDate(year: century + n(d, 4..<6), month: n(d, 2..<4), day: n(d, 0..<2)),
            NationalIDChecksum.finnishCheckCharacter(n(d, 0..<9)) == check
        else { return nil }
        return found(.fiHETU, s..<(s + 11))
    }

    /// Swedish `YYMMDD-NNNN` (`+` from the year a person turns 100) or `YYYYMMDD-NNNN`: a date and Luhn
    /// make the dashed form safe alone; the solid forms need context (``solid(_:_:_:)``).
    private static func swedishDashed(_ t: ScanText, run: Range<Int>) -> SharedSweep.Match? {
        let e = run.upperBound
        let sign = t[e]
        guard sign == 0x2D || (sign == 0x2B && run.count == 6) else { return nil }
        for i in (e + 1)..<(e + 5) where !ScanBytes.isDigit(t[i]) { return nil }
        guard endsToken(t, at: e + 5) else { return nil }
        let d = digits(t, run.lowerBound..<(e + 5))
        guard IdentityNumberKind.sePersonnummer.isValid(d) else { return nil }
        return found(.sePersonnummer, run.lowerBound..<(e + 5))
    }

    /// Chinese resident ID (GB 11643-1999): region (6 digits), birth date YYYYMMDD, sequence (3), check
    /// (digit or `X`); solid, or spaced 6-8-4 as printed on some forms.
    private static func chineseResidentID(_ t: ScanText, from s: Int, grouped: Bool) -> SharedSweep.Match? {
        var chars: [UInt8] = []
        chars.reserveCapacity(18)
        var i = s
        for k in 0..<18 {
            if grouped && (k == 6 || k == 14) {
                guard t[i] == 0x20 else { return nil }
                i += 1
            }
            chars.append(t[i])
            i += 1
        }
        let check = chars[17] == 0x78 ? 0x58 : chars[17]  // x → X
        guard chars[0..<17].allSatisfy(ScanBytes.isDigit), ScanBytes.isDigit(check) || check == 0x58,
            endsToken(t, at: i), !(grouped && t[i] == 0x20 && ScanBytes.isDigit(t[i + 1]))
        else { return nil }
        let d = chars[0..<17].map { Int($0 &- 0x30) }
        let n = NationalIDChecksum.number
        guard NationalIDChecksum.isChineseRegion(n(d, 0..<2)), (1900...2099).contains(n(d, 6..<10)),
            NationalIDChecksum.isDate(year: n(d, 6..<10), month: n(d, 10..<12), day: n(d, 12..<14)),
            NationalIDChecksum.chineseCheckCharacter(d) == check, !NationalIDChecksum.isPlaceholder(d)
        else { return nil }
        return found(.cnResidentID, s..<i)
    }

    /// French NIR (INSEE): sex (1, 2, or 7, 8 provisional), YY, MM (01–12, or 20–42 when unknown),
    /// department (2 digits, or 2A/2B for Corsica), commune (3), order (3), then the key 97 − (n mod 97).
    /// Solid, or spaced 1-2-2-2-3-3-2 as on the carte Vitale.
    private static func frenchNIR(_ t: ScanText, from s: Int) -> SharedSweep.Match? {
        let grouped = t[s + 1] == 0x20
        let sizes = [1, 2, 2, 2, 3, 3, 2]
        var chars: [UInt8] = []
        chars.reserveCapacity(15)
        var i = s
        for (k, size) in sizes.enumerated() {
            if k > 0 && grouped {
                guard t[i] == 0x20 else { return nil }
                i += 1
            }
            for _ in 0..<size {
                chars.append(t[i])
                i += 1
            }
        }
        guard endsToken(t, at: i), !(grouped && t[i] == 0x20 && ScanBytes.isDigit(t[i + 1])) else { return nil }
        // Corsica: 2A counts as 19 and 2B as 18 in the key.
        let corsica = chars[5] == 0x32 ? chars[6] | 0x20 : 0
        if corsica == 0x61 || corsica == 0x62 {
            chars[5] = 0x31
            chars[6] = corsica == 0x61 ? 0x39 : 0x38
        }
        guard chars.allSatisfy(ScanBytes.isDigit) else { return nil }
        let d = chars.map { Int($0 &- 0x30) }
        let n = NationalIDChecksum.number
        let month = n(d, 3..<5)
        guard [1, 2, 7, 8].contains(d[0]), (1...12).contains(month) || (20...42).contains(month),
            n(d, 5..<7) != 0, NationalIDChecksum.frenchKey(n(d, 0..<13)) == n(d, 13..<15),
            !NationalIDChecksum.isPlaceholder(d)
        else { return nil }
        return found(.frNIR, s..<i)
    }

    // MARK: Letters in fixed places

    /// Spanish DNI: eight digits and the mod-23 control letter, `12345678Z` or `12345678-Z`.
    private static func spanishDNI(_ t: ScanText, run: Range<Int>) -> SharedSweep.Match? {
        var letterAt = run.upperBound
        if t[letterAt] == 0x2D { letterAt += 1 }
        let letter = t[letterAt] & ~0x20
        guard ScanBytes.isLetter(t[letterAt]), endsToken(t, at: letterAt + 1) else { return nil }
        let d = digits(t, run)
        guard !NationalIDChecksum.isPlaceholder(d),
            NationalIDChecksum.spanishControlLetter(NationalIDChecksum.number(d, 0..<8)) == letter
        else { return nil }
        return found(.esDNI, run.lowerBound..<(letterAt + 1))
    }

    /// Spanish NIE: X, Y or Z (counting as 0, 1, 2), seven digits and the DNI control letter;
    /// `X1234567L` or `X-1234567-L`. `run` is the seven digits.
    private static func spanishNIE(_ t: ScanText, run: Range<Int>) -> SharedSweep.Match? {
        let dashed = t[run.lowerBound - 1] == 0x2D
        let start = run.lowerBound - (dashed ? 2 : 1)
        let prefix = t[start] & ~0x20
        guard prefix >= 0x58 && prefix <= 0x5A, isWordStart(t, start) else { return nil }  // X, Y, Z
        var letterAt = run.upperBound
        if dashed {
            guard t[letterAt] == 0x2D else { return nil }
            letterAt += 1
        }
        guard ScanBytes.isLetter(t[letterAt]), endsToken(t, at: letterAt + 1) else { return nil }
        let d = digits(t, run)
        let number = Int(prefix - 0x58) * 10_000_000 + NationalIDChecksum.number(d, 0..<7)
        guard !NationalIDChecksum.isPlaceholder(d),
            NationalIDChecksum.spanishControlLetter(number) == t[letterAt] & ~0x20
        else { return nil }
        return found(.esNIE, start..<(letterAt + 1))
    }

    /// Singapore NRIC/FIN: S, T (citizens), F, G, M (foreigners), seven digits and the check letter.
    private static func singaporeNRIC(_ t: ScanText, run: Range<Int>) -> SharedSweep.Match? {
        let start = run.lowerBound - 1
        let letterAt = run.upperBound
        guard ScanBytes.isLetter(t[letterAt]), endsToken(t, at: letterAt + 1) else { return nil }
        let d = digits(t, run)
        guard !NationalIDChecksum.isPlaceholder(d),
            let check = NationalIDChecksum.singaporeCheckLetter(prefix: t[start] & ~0x20, d),
            check == t[letterAt] & ~0x20
        else { return nil }
        return found(.sgNRIC, start..<(letterAt + 1))
    }

    /// UK National Insurance number `AB123456C`: two prefix letters (``NationalIDChecksum/isNINOPrefix(_:_:)``),
    /// six digits, suffix A–D. No check digit, but the letters in fixed places make it distinctive.
    private static func solidNINO(_ t: ScanText, run: Range<Int>) -> SharedSweep.Match? {
        let start = run.lowerBound - 2
        return nino(t, start: start, digits: run, suffixAt: run.upperBound)
    }

    /// The spaced NINO `AB 12 34 56 C`, found from its first pair of digits.
    private static func spacedNINO(_ t: ScanText, run: Range<Int>) -> SharedSweep.Match? {
        let s = run.lowerBound
        guard ScanBytes.isLetter(t[s - 2]), ScanBytes.isLetter(t[s - 3]), isWordStart(t, s - 3),
            t[s + 2] == 0x20, ScanBytes.isDigit(t[s + 3]), ScanBytes.isDigit(t[s + 4]), t[s + 5] == 0x20,
            ScanBytes.isDigit(t[s + 6]), ScanBytes.isDigit(t[s + 7]), t[s + 8] == 0x20
        else { return nil }
        return nino(t, start: s - 3, digits: s..<(s + 8), suffixAt: s + 9)
    }

    private static func nino(_ t: ScanText, start: Int, digits range: Range<Int>, suffixAt: Int) -> SharedSweep.Match? {
        let suffix = t[suffixAt] & ~0x20
        guard ScanBytes.isLetter(t[suffixAt]), suffix >= 0x41 && suffix <= 0x44, endsToken(t, at: suffixAt + 1),
            NationalIDChecksum.isNINOPrefix(t[start] & ~0x20, t[start + 1] & ~0x20),
            !NationalIDChecksum.isPlaceholder(digits(t, range))
        else { return nil }
        return found(.ukNINO, start..<(suffixAt + 1))
    }
}
