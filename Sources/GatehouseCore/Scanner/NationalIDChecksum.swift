/// Check digits, number rules and dates of national ID numbers, as their issuers define them.
///
/// Each function takes the ID's digits as values 0–9 in reading order (separators removed) and says whether
/// the number is well-formed; the sweep (``IdentityNumberSweep``) decides where numbers are and in what context.
enum NationalIDChecksum {
    // MARK: Check digits

    /// Luhn (ISO/IEC 7812-1): double every second digit from the right; the sum is a multiple of 10.
    /// Canadian SIN, Swedish personnummer. One random number in ten passes.
    static func luhn(_ d: [Int]) -> Bool {
        var sum = 0
        for (k, digit) in d.reversed().enumerated() {
            if k % 2 == 1 {
                let doubled = digit * 2
                sum += doubled > 9 ? doubled - 9 : doubled
            } else {
                sum += digit
            }
        }
        return sum % 10 == 0
    }

    /// Verhoeff's dihedral-group check (Indian Aadhaar): catches every single-digit error and adjacent swap.
    static func verhoeff(_ d: [Int]) -> Bool {
        var c = 0
        for (k, digit) in d.reversed().enumerated() {
            c = verhoeffMultiplication[c][verhoeffPermutation[k % 8][digit]]
        }
        return c == 0
    }

    private static let verhoeffMultiplication: [[Int]] = [
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5], [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
        [3, 4, 0, 1, 2, 8, 9, 5, 6, 7], [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
        [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3], [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
        [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
    ]

    private static let verhoeffPermutation: [[Int]] = [
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4], [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
        [8, 9, 1, 6, 0, 4, 3, 5, 2, 7], [9, 4, 5, 3, 1, 2, 6, 8, 7, 0], [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
        [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
    ]

    /// Dutch BSN "elfproef": weights 9…2 and −1 over nine digits (eight-digit numbers have a leading zero
    /// dropped); the sum is a multiple of 11 and not zero.
    static func elevenProof(_ d: [Int]) -> Bool {
        let digits = d.count == 8 ? [0] + d : d
        guard digits.count == 9 else { return false }
        var sum = 0
        for k in 0..<8 { sum += digits[k] * (9 - k) }
        sum -= digits[8]
        return sum != 0 && sum % 11 == 0
    }

    /// NHS number: weights 10…2 over the first nine digits; the check digit is 11 − (sum mod 11),
    /// 11 becomes 0 and 10 is never issued.
    static func nhsNumber(_ d: [Int]) -> Bool {
        guard d.count == 10 else { return false }
        var sum = 0
        for k in 0..<9 { sum += d[k] * (10 - k) }
        let check = 11 - sum % 11
        if check == 10 { return false }
        return d[9] == check % 11
    }

    /// Brazilian CPF: two mod-11 check digits over weights 10…2 and 11…2; a remainder of 10 gives 0.
    /// All-equal numbers (`111.111.111-11`) pass the arithmetic but are not issued.
    static func cpf(_ d: [Int]) -> Bool {
        guard d.count == 11, !d.allSatisfy({ $0 == d[0] }) else { return false }
        func check(_ n: Int) -> Int {
            var sum = 0
            for k in 0..<n { sum += d[k] * (n + 1 - k) }
            let r = sum * 10 % 11
            return r == 10 ? 0 : r
        }
        return check(9) == d[9] && check(10) == d[10]
    }

    /// Australian TFN: weighted sum mod 11 is 0; weights 1,4,3,7,5,8,6,9,10 for nine digits and
    /// 10,7,8,4,6,3,5,1 for the older eight-digit numbers (ATO).
    static func tfn(_ d: [Int]) -> Bool {
        let weights: [Int]
        switch d.count {
        case 9: weights = [1, 4, 3, 7, 5, 8, 6, 9, 10]
        case 8: weights = [10, 7, 8, 4, 6, 3, 5, 1]
        default: return false
        }
        var sum = 0
        for k in d.indices { sum += d[k] * weights[k] }
        return sum % 11 == 0
    }

    /// Polish PESEL: weights 1,3,7,9 repeating over ten digits; the eleventh is (10 − sum mod 10) mod 10.
    /// The first six digits are the birth date, the century folded into the month (+80 for the 1800s,
    /// +0, +20, +40, +60 for the 1900s to the 2200s).
    static func pesel(_ d: [Int]) -> Bool {
        guard d.count == 11 else { return false }
        let weights = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3]
        var sum = 0
        for k in 0..<10 { sum += d[k] * weights[k] }
        guard (10 - sum % 10) % 10 == d[10] else { return false }
        let encodedMonth = d[2] * 10 + d[3]
        let century = [1900, 2000, 2100, 2200, 1800][encodedMonth / 20]
        return isDate(year: century + d[0] * 10 + d[1], month: encodedMonth % 20, day: d[4] * 10 + d[5])
    }

    /// Swedish personnummer (Skatteverket): YYMMDDNNNN, or YYYYMMDDNNNN with the century, Luhn over the ten
    /// digits YYMMDDNNNN. Coordination numbers (samordningsnummer) add 60 to the day.
    static func swedishPersonnummer(_ d: [Int]) -> Bool {
        guard d.count == 10 || d.count == 12 else { return false }
        let ten = Array(d.suffix(10))
        guard luhn(ten) else { return false }
        // Without the century any year may be meant, so take a leap year and accept 29 February.
        let year = d.count == 12 ? number(d, 0..<4) : 2000
        guard (1870...2099).contains(year) else { return false }
        var day = number(ten, 4..<6)
        if day > 60 { day -= 60 }
        return isDate(year: year, month: number(ten, 2..<4), day: day)
    }

    /// The Spanish DNI/NIE control letter: the number mod 23 indexes `TRWAGMYFPDXBNJZSQVHLCKE`
    /// (Real Decreto 1553/2005); an NIE's X, Y, Z count as 0, 1, 2 in front of its seven digits.
    static func spanishControlLetter(_ number: Int) -> UInt8 {
        spanishLetters[number % 23]
    }

    private static let spanishLetters = Array("TRWAGMYFPDXBNJZSQVHLCKE".utf8)

    /// The Singapore NRIC/FIN check letter for `prefix` (S, T, F, G, M) and seven digits: weights
    /// 2,7,6,5,4,3,2, plus 4 for T and G, 3 for M; the remainder mod 11 picks the letter from the series' table.
    static func singaporeCheckLetter(prefix: UInt8, _ d: [Int]) -> UInt8? {
        guard d.count == 7 else { return nil }
        let weights = [2, 7, 6, 5, 4, 3, 2]
        var sum = 0
        for k in 0..<7 { sum += d[k] * weights[k] }
        switch prefix {
        case 0x53: return citizenLetters[sum % 11]  // S
        case 0x54: return citizenLetters[(sum + 4) % 11]  // T
        case 0x46: return foreignerLetters[sum % 11]  // F
        case 0x47: return foreignerLetters[(sum + 4) % 11]  // G
        case 0x4D: return mSeriesLetters[10 - (sum + 3) % 11]  // M (from 2022)
        default: return nil
        }
    }

    private static let citizenLetters = Array("JZIHGFEDCBA".utf8)
    private static let foreignerLetters = Array("XWUTRQPNMLK".utf8)
    private static let mSeriesLetters = Array("KLJNPQRTUWX".utf8)

    /// The Chinese resident ID check character (GB 11643-1999, ISO 7064 MOD 11-2) of the first 17 digits:
    /// weights 2^(17−k) mod 11; `1 0 X 9 8 7 6 5 4 3 2` indexed by the sum mod 11.
    static func chineseCheckCharacter(_ d: [Int]) -> UInt8? {
        guard d.count == 17 else { return nil }
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        var sum = 0
        for k in 0..<17 { sum += d[k] * weights[k] }
        return chineseCheckCharacters[sum % 11]
    }

    private static let chineseCheckCharacters = Array("10X98765432".utf8)

    /// The Finnish HETU check character: the nine digits DDMMYYNNN as one number mod 31, indexing
    /// `0123456789ABCDEFHJKLMNPRSTUVWXY` (Population Information Act; DVV).
    static func finnishCheckCharacter(_ number: Int) -> UInt8 {
        finnishCheckCharacters[number % 31]
    }

    private static let finnishCheckCharacters = Array("0123456789ABCDEFHJKLMNPRSTUVWXY".utf8)

    /// The French NIR key of its first 13 digits: 97 − (number mod 97); Corsican departments 2A and 2B
    /// count as 19 and 18 (INSEE).
    static func frenchKey(_ number: Int) -> Int { 97 - number % 97 }

    // MARK: Number rules

    /// A US SSN's parts as the SSA assigns them: no area 000, 666 or 900–999, no group 00, no serial 0000.
    /// Two numbers printed on sample cards and advertisements and since voided are refused too.
    static func isSSN(area: Int, group: Int, serial: Int) -> Bool {
        guard area != 0, area != 666, area < 900, group != 0, serial != 0 else { return false }
        return !(area == 78 && group == 5 && serial == 1120) && !(area == 219 && group == 9 && serial == 9999)
    }

    /// A US ITIN's parts (IRS): area 900–999 and group 50–65, 70–88, 90–92 or 94–99.
    static func isITIN(area: Int, group: Int, serial: Int) -> Bool {
        guard area >= 900, area <= 999 else { return false }
        return (50...65).contains(group) || (70...88).contains(group) || (90...92).contains(group)
            || (94...99).contains(group)
    }

    /// A UK National Insurance number prefix (HMRC NIM39110): neither letter D, F, I, Q, U or V, the second
    /// not O, and not one of the pairs never issued (BG, GB, KN, NK, NT, TN, ZZ). Letters in upper case.
    static func isNINOPrefix(_ a: UInt8, _ b: UInt8) -> Bool {
        let neverIssued: [UInt8] = Array("DFIQUV".utf8)
        guard !neverIssued.contains(a), !neverIssued.contains(b), b != 0x4F else { return false }
        let pair = String(decoding: [a, b], as: UTF8.self)
        return !["BG", "GB", "KN", "NK", "NT", "TN", "ZZ"].contains(pair)
    }

    /// Chinese province-level region codes (the ID's first two digits, GB/T 2260).
    static func isChineseRegion(_ code: Int) -> Bool {
        switch code {
        case 11...15, 21...23, 31...37, 41...46, 50...54, 61...65, 71, 81, 82, 83: true
        default: false
        }
    }

    /// Digits that are a stand-in rather than an ID: one repeated digit (`000000000`) or a run counting up
    /// or down (`123456789`, `987654321`), as forms and tutorials show.
    static func isPlaceholder(_ d: [Int]) -> Bool {
        guard let first = d.first, d.count > 1 else { return true }
        if d.allSatisfy({ $0 == first }) { return true }
        var up = true
        var down = true
        for k in 1..<d.count {
            if d[k] != (d[k - 1] + 1) % 10 { up = false }
            if d[k] != (d[k - 1] + 9) % 10 { down = false }
        }
        return up || down
    }

    // MARK: Dates

    /// Whether year-month-day is a calendar date (Gregorian leap years).
    static func isDate(year: Int, month: Int, day: Int) -> Bool {
        guard (1...12).contains(month), day >= 1 else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return day <= days
    }

    /// The value of `d[range]` read as one decimal number.
    static func number(_ d: [Int], _ range: Range<Int>) -> Int {
        var value = 0
        for k in range { value = value * 10 + d[k] }
        return value
    }
}
