/// Masks phone-number-like runs in free text (bodies, transport replies) before they are kept
/// or shown: 7 or more digits, possibly spaced or punctuated, keep only 2 leading and 3 trailing.
/// A run touching a letter is part of an identifier (a file name, a UUID, `20261122T0510`), not a number.
public enum PhoneMask {
    public static func mask(_ text: String) -> String {
        var out = ""
        var run: [Character] = []  // the candidate run, separators included
        var digits = 0
        var afterLetter = false
        func flush(beforeLetter: Bool = false) {
            if digits >= 7 && !afterLetter && !beforeLetter {
                var seen = 0
                for character in run {
                    guard character.isNumber else {
                        out.append(character)
                        continue
                    }
                    seen += 1
                    out.append(seen <= 2 || seen > digits - 3 ? character : "•")
                }
            } else {
                out.append(contentsOf: run)
            }
            run.removeAll()
            digits = 0
        }
        for character in text {
            if character.isNumber {
                run.append(character)
                digits += 1
            } else if !run.isEmpty, [" ", "-", ".", "(", ")", "\u{00A0}"].contains(character) {
                run.append(character)
            } else {
                flush(beforeLetter: character.isLetter && run.last?.isNumber == true)
                out.append(character)
                afterLetter = character.isLetter
            }
        }
        flush()
        return out
    }
}
