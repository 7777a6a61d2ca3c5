/// One-time pairing codes: 8 characters from an alphabet with no look-alikes (no 0 O 1 I).
public enum PairingCode {
    public static let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
    public static let length = 8

    public static func generate<G: RandomNumberGenerator>(using generator: inout G) -> String {
        String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
    }

    /// The code a message spells, if its whole text is one: case, surrounding white space, inner
    /// spaces and `-` ignored. Nil when the text is not code-shaped at all.
    public static func candidate(in text: String) -> String? {
        let kept = text.uppercased().filter { $0 != " " && $0 != "-" && !$0.isWhitespace }
        guard kept.count == length, kept.allSatisfy(alphabet.contains) else { return nil }
        return kept
    }
}
