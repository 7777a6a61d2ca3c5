extension Detector {
    /// Payment card numbers (PANs): 13–19 digits, written solid or in groups split by single spaces or dashes,
    /// with a known network prefix and length and a valid Luhn check digit.
    ///
    /// Networks: Visa 4 (13, 16, 19 digits), Mastercard 51–55 and 2221–2720 (16), Amex 34, 37 (15),
    /// Discover 6011, 644–649, 65 (16–19), JCB 3528–3589 (16–19), Diners 36, 38, 300–305 (14–19),
    /// UnionPay 62 and 81 (16–19), Maestro 50, 56–58, 6304, 67 (16–19; its rare 12–15-digit cards look like
    /// any other number and are left out), Mir 2200–2204 (16–19), RuPay 60, 65, 81, 82, 508, 353, 356 (16),
    /// Troy 9792 (16), InstaPayment 637–639 (16); Elo, Verve, Dankort and Hipercard fall inside these ranges.
    /// Grouped numbers start with a 4-digit group followed by groups of 3–6, as cards are printed (4-4-4-4,
    /// 4-6-5, 4-4-4-4-3).
    ///
    /// Digits touching letters (git SHAs, UUIDs, tracking codes), decimals (`3.1415…`), numbers after `+`
    /// (phone numbers) and the groups after an IBAN's `FR76` are not cards. The mask shows only the last
    /// four digits, as receipts do. Keywordless: one linear pass over digit runs.
    public static let paymentCard = Detector(
        id: "payment-card",
        summary: "A payment card number; personal financial data that enables fraud.",
        category: .personal,
        family: .payment,
        severity: .high,
        keywords: [],
        validator: .sweep(PaymentCardScanner.scan)
    )
}

/// The card sweep: digit runs ("groups") are chained by a consistent single separator, and each chain is
/// searched for card-shaped windows. Streaming with a small buffer, so a text of a million groups costs
/// no more memory than one of ten.
struct PaymentCardScanner {
    private struct Group {
        var range: Range<Int>
        var startsChain: Bool
        var count: Int { range.count }
    }

    /// A window spans at most 19 digits: at most 6 groups (4 + 3 × 5).
    private static let maximumWindowGroups = 6

    private let bytes: [UInt8]
    private var chain: [Group] = []
    private var nextStart = 0
    private var matches: [DetectorMatch] = []

    static func scan(_ text: ScanText) -> [DetectorMatch] {
        var scanner = PaymentCardScanner(bytes: text.bytes)
        scanner.run()
        return scanner.matches
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private func byte(_ i: Int) -> UInt8 { i >= 0 && i < bytes.count ? bytes[i] : 0 }

    private mutating func run() {
        let text = bytes
        text.withUnsafeBufferPointer { p in
            let n = p.count
            var i = 0
            var previousEnd = -2
            var previousClean = false
            var previousIBANHead = false
            var chainActive = false
            var chainTainted = false
            var separator: UInt8 = 0
            let base = UnsafeRawPointer(p.baseAddress)
            while true {
                // Chat is mostly letters and spaces: skip eight bytes at a time to the word holding the next digit.
                if let base {
                    while i + 8 <= n && !IdentityNumberSweep.hasDigit(base.loadUnaligned(fromByteOffset: i, as: UInt64.self)) {
                        i += 8
                    }
                }
                while i < n && !ScanBytes.isDigit(p[i]) { i += 1 }
                guard i < n else { break }
                let start = i
                while i < n && ScanBytes.isDigit(p[i]) { i += 1 }
                let group = start..<i
                let left = start > 0 ? p[start - 1] : 0
                let clean = isClean(group)
                let linked = previousEnd == start - 1 && (left == 0x20 || left == 0x2D)
                // Groups of 1–2 digits are never part of a card; they only keep a chain going.
                let short = group.count < 3

                if linked && clean && previousClean && chainActive && (separator == 0 || separator == left) {
                    separator = left
                    if short {
                        if !chain.isEmpty { finishChain() }  // no window spans a short group
                    } else if !chainTainted {
                        append(Group(range: group, startsChain: false))
                    }
                } else {
                    if !chain.isEmpty { finishChain() }
                    chainActive = clean
                    separator = 0
                    // A phone number (`+49 …`), or the digit groups of an IBAN (`FR76 3000 6000 …`).
                    chainTainted = left == 0x2B || (linked && previousIBANHead)
                    if clean && !chainTainted && !short { append(Group(range: group, startsChain: true)) }
                }
                previousEnd = i
                previousClean = clean
                // `FR76`: two capitals starting a word, then two check digits.
                previousIBANHead =
                    group.count == 2 && start >= 2 && ScanBytes.isUpper(p[start - 1]) && ScanBytes.isUpper(p[start - 2])
                    && (start == 2 || !ScanBytes.isAlnum(p[start - 3]))
            }
        }
        finishChain()
    }

    /// A group is clean unless it touches a letter or underscore, or is part of a decimal number.
    private func isClean(_ group: Range<Int>) -> Bool {
        let left = byte(group.lowerBound - 1)
        let right = byte(group.upperBound)
        if ScanBytes.isLetter(left) || left == 0x5F || ScanBytes.isLetter(right) || right == 0x5F { return false }
        if (left == 0x2E || left == 0x2C) && ScanBytes.isDigit(byte(group.lowerBound - 2)) { return false }
        if (right == 0x2E || right == 0x2C) && ScanBytes.isDigit(byte(group.upperBound + 1)) { return false }
        return true
    }

    private mutating func append(_ group: Group) {
        chain.append(group)
        evaluate(final: false)
    }

    private mutating func finishChain() {
        evaluate(final: true)
        chain.removeAll(keepingCapacity: true)
        nextStart = 0
    }

    /// Tries each window start that has its whole look-ahead buffered (or all of it, at the chain's end).
    private mutating func evaluate(final: Bool) {
        while nextStart < chain.count && (final || chain.count - nextStart > Self.maximumWindowGroups) {
            if let last = longestCard(from: nextStart) {
                let range = chain[nextStart].range.lowerBound..<chain[last].range.upperBound
                matches.append(DetectorMatch(range: range, mask: .fixed("card …" + lastFourDigits(range))))
                nextStart = last + 1
            } else {
                nextStart += 1
            }
        }
        if nextStart > 64 {
            chain.removeFirst(nextStart)
            nextStart = 0
        }
    }

    /// The last four digits in `range`; the last group may have only three.
    private func lastFourDigits(_ range: Range<Int>) -> String {
        var digits: [UInt8] = [0x30, 0x30, 0x30, 0x30]
        var k = 3
        var i = range.upperBound - 1
        while k >= 0 && i >= range.lowerBound {
            if ScanBytes.isDigit(bytes[i]) {
                digits[k] = bytes[i]
                k -= 1
            }
            i -= 1
        }
        return String(decoding: digits, as: UTF8.self)
    }

    /// The last group of the longest card-shaped window starting at group `s`, if any.
    private func longestCard(from s: Int) -> Int? {
        let first = chain[s]
        // A card starts a chain, or starts a 4-digit group or a solid 13–19-digit run inside one
        // (`ref 12 4111 1111 1111 1111`).
        guard first.startsChain || first.count == 4 || first.count >= 13 else { return nil }
        let lead = bytes[first.range.lowerBound]
        guard (lead >= 0x32 && lead <= 0x36) || lead == 0x38 || lead == 0x39 else { return nil }  // 2–6, 8, 9
        var best: Int?
        var digits = 0
        var e = s
        while e < chain.count && e - s < Self.maximumWindowGroups {
            let count = chain[e].count
            if e > s && (first.count != 4 || !(3...6).contains(count)) { break }
            digits += count
            if digits > 19 { break }
            if digits >= 13 && isCardNumber(from: s, through: e, digits: digits) { best = e }
            e += 1
        }
        return best
    }

    private func isCardNumber(from s: Int, through e: Int, digits length: Int) -> Bool {
        // Every window's first group has 4 or 13+ digits, so the first four digits are in it.
        let p = chain[s].range.lowerBound
        func prefix(_ k: Int) -> Int {
            var value = 0
            for i in p..<(p + k) { value = value * 10 + Int(bytes[i] &- 0x30) }
            return value
        }
        guard Self.networkAccepts(prefix2: prefix(2), prefix3: prefix(3), prefix4: prefix(4), length: length)
        else { return false }
        // Luhn, from the rightmost digit.
        var sum = 0
        var double = false
        for g in stride(from: e, through: s, by: -1) {
            for i in chain[g].range.reversed() {
                var d = Int(bytes[i] &- 0x30)
                if double {
                    d *= 2
                    if d > 9 { d -= 9 }
                }
                sum += d
                double.toggle()
            }
        }
        return sum % 10 == 0
    }

    static func networkAccepts(prefix2 p2: Int, prefix3 p3: Int, prefix4 p4: Int, length: Int) -> Bool {
        switch p2 / 10 {
        case 4: return length == 13 || length == 16 || length == 19  // Visa
        case 5:
            if (51...55).contains(p2) { return length == 16 }  // Mastercard
            if p2 == 50 || (56...58).contains(p2) { return (16...19).contains(length) }  // Maestro, RuPay 508
            return false
        case 2:
            if (2221...2720).contains(p4) { return length == 16 }  // Mastercard 2-series
            if (2200...2204).contains(p4) { return (16...19).contains(length) }  // Mir
            return false
        case 3:
            if p2 == 34 || p2 == 37 { return length == 15 }  // Amex
            if (3528...3589).contains(p4) { return (16...19).contains(length) }  // JCB (and RuPay-JCB 353, 356)
            if p2 == 36 || p2 == 38 || (300...305).contains(p3) { return (14...19).contains(length) }  // Diners
            return false
        case 6:
            if p4 == 6011 || p2 == 65 || (644...649).contains(p3) { return (16...19).contains(length) }  // Discover
            if p2 == 62 { return (16...19).contains(length) }  // UnionPay
            if p2 == 60 { return length == 16 }  // RuPay
            if p2 == 67 || p4 == 6304 { return (16...19).contains(length) }  // Maestro
            if (637...639).contains(p3) { return length == 16 }  // InstaPayment
            return false
        case 8:
            if p2 == 81 { return (16...19).contains(length) }  // UnionPay 8-series, RuPay
            return p2 == 82 && length == 16  // RuPay
        case 9: return p4 == 9792 && length == 16  // Troy
        default: return false
        }
    }
}
