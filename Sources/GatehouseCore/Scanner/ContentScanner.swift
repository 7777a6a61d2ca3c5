/// Finds secrets and personal data in outbound text.
///
/// A protocol so the gate's content check can be tested with a canned scanner; ``SecretScanner`` is the real one.
public protocol ContentScanner: Sendable {
    /// Findings sorted by range start, never overlapping.
    func scan(_ text: String) -> [Finding]
}
