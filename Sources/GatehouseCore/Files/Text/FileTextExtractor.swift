// TEMPORARY stub until the real extractor lands.
public enum FileText: Sendable, Equatable {
    case text(String, source: String)
    case unscannable(reason: String)
}

public enum FileTextExtractor {
    public static func extract(bytes: [UInt8], kind: FileKind, extension ext: String) -> FileText {
        guard kind == .text, let text = String(validating: bytes, as: UTF8.self) else {
            return .unscannable(reason: "not text")
        }
        return .text(text, source: "text")
    }
}
