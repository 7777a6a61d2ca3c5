/// The text the gate's content scanner reads for a file, or why there is none.
///
/// A file the gate cannot read is not treated as clean: policy decides what to do with
/// ``unscannable(reason:)`` (deny, or ask a human), so extraction never guesses.
public enum FileText: Sendable, Equatable {
    /// The file's text, and which part(s) it came from (`"UTF-8 text"`, `"word/document.xml, docProps/core.xml"`),
    /// for messages that say what was scanned.
    case text(String, source: String)
    /// Why no text could be had. The reason is written by Gatehouse and never quotes the file.
    case unscannable(reason: String)
}
