/// Bank account and national ID numbers with valid checks, generated from the seeded generator: made-up
/// numbers in real formats, never a real person's. The check arithmetic is written out again here,
/// independently of the detectors', so a shared mistake does not hide.
extension ScannerFixtures {
    mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }

    mutating func digitValues(_ count: Int) -> [Int] { (0..<count).map { _ in int(0...9) } }

    static func text(_ digits: [Int]) -> String { digits.map(String.init).joined() }

    static func twoDigits(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    /// A random date whose day exists in every month.
    mutating func date(years: ClosedRange<Int>) -> (year: Int, month: Int, day: Int) {
        (int(years), int(1...12), int(1...28))
    }

    // MARK: IBAN

    /// An IBAN of `country` with a random BBAN of `bbanLength` characters (`letters` of them leading letters,
    /// as British and Dutch bank codes), with its mod-97 check digits; solid or grouped by four.
    mutating func iban(country: String, bbanLength: Int, letters: Int = 0, grouped: Bool = false) -> String {
        let bban = string(Self.upper, letters) + string(Self.digits, bbanLength - letters)
        let check = 98 - Self.mod97(bban + country + "00")
        let solid = country + Self.twoDigits(check) + bban
        return grouped ? Self.groupedByFour(solid) : solid
    }

    static func mod97(_ s: String) -> Int {
        var r = 0
        for c in s {
            if let d = c.wholeNumberValue {
                r = (r * 10 + d) % 97
            } else {
                r = (r * 100 + Int(c.asciiValue! - 55)) % 97  // A = 10
            }
        }
        return r
    }

    static func groupedByFour(_ s: String) -> String {
        var groups: [String] = []
        var rest = Substring(s)
        while !rest.isEmpty {
            groups.append(String(rest.prefix(4)))
            rest = rest.dropFirst(4)
        }
        return groups.joined(separator: " ")
    }

    // MARK: United States

    mutating func ssnDigits() -> [Int] {
        var area = int(1...899)
        if area == 666 { area = 665 }
        return Self.split(area, 3) + Self.split(int(1...99), 2) + Self.split(int(1...9999), 4)
    }

    mutating func itinDigits() -> [Int] {
        let groups = Array(50...65) + Array(70...88) + Array(90...92) + Array(94...99)
        return Self.split(int(900...999), 3) + Self.split(groups[int(0...(groups.count - 1))], 2)
            + Self.split(int(0...9999), 4)
    }

    static func split(_ n: Int, _ width: Int) -> [Int] {
        var digits: [Int] = []
        var n = n
        for _ in 0..<width {
            digits.insert(n % 10, at: 0)
            n /= 10
        }
        return digits
    }

    static func dashed(_ d: [Int], _ sizes: [Int], _ separator: String = "-") -> String {
        grouped(text(d), sizes, separator: separator)
    }

    // MARK: United Kingdom

    mutating func nino(spaced: Bool = false) -> String {
        let first = Array("ABCEGHJKLMNPRSTWXYZ")
        let second = Array("ABCEGHJKLMNPRSTWXYZ")
        var prefix = ""
        repeat {
            prefix = String(first[int(0...(first.count - 1))]) + String(second[int(0...(second.count - 1))])
        } while ["BG", "GB", "KN", "NK", "NT", "TN", "ZZ"].contains(prefix)
        let digits = Self.text(digitValues(6))
        let suffix = String(Array("ABCD")[int(0...3)])
        return spaced
            ? "\(prefix) \(Self.grouped(digits, [2, 2, 2], separator: " ")) \(suffix)" : prefix + digits + suffix
    }

    mutating func nhsNumber() -> [Int] {
        while true {
            let d = digitValues(9)
            var sum = 0
            for k in 0..<9 { sum += d[k] * (10 - k) }
            let check = (11 - sum % 11) % 11
            if check != 10 { return d + [check] }
        }
    }

    // MARK: Canada, India, Brazil

    mutating func sin() -> [Int] {
        let body = [[1, 2, 3, 4, 5, 6, 7, 9][int(0...7)]] + digitValues(7)
        return body + [Self.luhnCheckDigit(Self.text(body))]
    }

    mutating func aadhaar() -> [Int] {
        let body = [int(2...9)] + digitValues(10)
        return body + [Self.verhoeffCheckDigit(body)]
    }

    /// Verhoeff: the check digit is the inverse of the running product over the body.
    static func verhoeffCheckDigit(_ body: [Int]) -> Int {
        let d = [
            [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5], [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
            [3, 4, 0, 1, 2, 8, 9, 5, 6, 7], [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
            [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3], [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
            [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
        ]
        let p = [
            [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4], [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
            [8, 9, 1, 6, 0, 4, 3, 5, 2, 7], [9, 4, 5, 3, 1, 2, 6, 8, 7, 0], [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
            [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
        ]
        let inverse = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9]
        var c = 0
        for (k, digit) in body.reversed().enumerated() { c = d[c][p[(k + 1) % 8][digit]] }
        return inverse[c]
    }

    mutating func cpf() -> [Int] {
        var d = digitValues(9)
        for n in [9, 10] {
            var sum = 0
            for k in 0..<n { sum += d[k] * (n + 1 - k) }
            let r = sum * 10 % 11
            d.append(r == 10 ? 0 : r)
        }
        return d
    }

    static func cpfFormatted(_ d: [Int]) -> String {
        let s = text(d)
        let c = Array(s)
        return String(c[0..<3]) + "." + String(c[3..<6]) + "." + String(c[6..<9]) + "-" + String(c[9..<11])
    }

    // MARK: Spain, Netherlands, Poland, Sweden, France, Finland

    static let spanishLetters = Array("TRWAGMYFPDXBNJZSQVHLCKE")

    mutating func dni() -> String {
        let n = int(10_000_000...99_999_999)
        return "\(n)" + String(Self.spanishLetters[n % 23])
    }

    mutating func nie() -> String {
        let prefix = int(0...2)
        let n = int(0...9_999_999)
        let digits = Self.text(Self.split(n, 7))
        return ["X", "Y", "Z"][prefix] + digits + String(Self.spanishLetters[(prefix * 10_000_000 + n) % 23])
    }

    mutating func bsn() -> [Int] {
        while true {
            let d = [int(1...9)] + digitValues(7)
            var sum = 0
            for k in 0..<8 { sum += d[k] * (9 - k) }
            if sum % 11 != 10 { return d + [sum % 11] }
        }
    }

    mutating func pesel() -> [Int] {
        let (year, month, day) = date(years: 1930...2019)
        let encodedMonth = month + (year >= 2000 ? 20 : 0)
        let body = Self.split(year % 100, 2) + Self.split(encodedMonth, 2) + Self.split(day, 2) + digitValues(4)
        let weights = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3]
        let sum = zip(body, weights).map(*).reduce(0, +)
        return body + [(10 - sum % 10) % 10]
    }

    /// Ten digits YYMMDDNNNC, and the birth year.
    mutating func personnummer() -> (digits: [Int], year: Int) {
        let (year, month, day) = date(years: 1930...2019)
        let body = Self.split(year % 100, 2) + Self.split(month, 2) + Self.split(day, 2) + digitValues(3)
        return (body + [Self.luhnCheckDigit(Self.text(body))], year)
    }

    /// A NIR: sex, year, month, department (`corsica` gives 2A), commune, order and key; 15 characters.
    mutating func nir(corsica: Bool = false) -> String {
        let head = "\(int(1...2))" + Self.twoDigits(int(0...99)) + Self.twoDigits(int(1...12))
        let department = corsica ? "2A" : Self.twoDigits(int(1...95))
        let tail = Self.text(digitValues(6))
        let numeric = head + (corsica ? "19" : department) + tail
        let key = 97 - Int(numeric)! % 97
        return head + department + tail + Self.twoDigits(key)
    }

    static func nirSpaced(_ nir: String) -> String { grouped(nir, [1, 2, 2, 2, 3, 3, 2], separator: " ") }

    mutating func hetu() -> String {
        let (year, month, day) = date(years: 1900...2029)
        let signs: [Character] = year >= 2000 ? Array("ABCDEF") : Array("-YXWVU")
        let sign = signs[int(0...(signs.count - 1))]
        let individual = int(2...899)
        let number =
            Self.twoDigits(day) + Self.twoDigits(month) + Self.twoDigits(year % 100)
            + Self.text(Self.split(individual, 3))
        let check = Array("0123456789ABCDEFHJKLMNPRSTUVWXY")[Int(number)! % 31]
        return String(number.prefix(6)) + String(sign) + String(number.suffix(3)) + String(check)
    }

    // MARK: Singapore, China, Australia

    mutating func nric(prefix: Character) -> String {
        let d = digitValues(7)
        let sum = zip(d, [2, 7, 6, 5, 4, 3, 2]).map(*).reduce(0, +)
        let letter: Character
        switch prefix {
        case "S": letter = Array("JZIHGFEDCBA")[sum % 11]
        case "T": letter = Array("JZIHGFEDCBA")[(sum + 4) % 11]
        case "F": letter = Array("XWUTRQPNMLK")[sum % 11]
        case "G": letter = Array("XWUTRQPNMLK")[(sum + 4) % 11]
        default: letter = Array("KLJNPQRTUWX")[10 - (sum + 3) % 11]
        }
        return String(prefix) + Self.text(d) + String(letter)
    }

    mutating func chineseID() -> String {
        let regions = [11, 12, 31, 32, 33, 44, 51, 61]
        let (year, month, day) = date(years: 1940...2019)
        let body =
            Self.split(regions[int(0...(regions.count - 1))], 2) + digitValues(4) + Self.split(year, 4)
            + Self.split(month, 2) + Self.split(day, 2) + digitValues(3)
        var sum = 0
        for k in 0..<17 { sum += body[k] * ((1 << (17 - k)) % 11) }
        return Self.text(body) + String(Array("10X98765432")[sum % 11])
    }

    mutating func tfn() -> [Int] {
        while true {
            let d = digitValues(8)
            let sum = zip(d, [1, 4, 3, 7, 5, 8, 6, 9]).map(*).reduce(0, +)
            // 10 ≡ −1 (mod 11), so the last digit must equal the sum mod 11.
            if sum % 11 != 10 { return d + [sum % 11] }
        }
    }
}
