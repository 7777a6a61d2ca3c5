/// Turns a file's bytes into the text the gate's content scanner reads, as if the file were a message.
///
/// Pure: bytes in, text out, no I/O. The kind comes from ``ContentSniffer`` (the bytes), the extension
/// only picks between formats that share a container (a `.docx` and a `.zip` are both ZIP archives).
/// Kinds it cannot read are ``FileText/unscannable(reason:)``, never empty text, so "nothing found"
/// always means "read and found nothing".
public enum FileTextExtractor {
    /// The most bytes inflating one Office file may produce, whatever its size.
    public static let maximumInflatedBytes = 64 << 20
    /// The most an Office file may expand relative to its own size. Office XML compresses about 5–20×;
    /// a ratio past 100 is a zip bomb or a file built to be expensive.
    public static let maximumExpansionRatio = 100
    /// Small files may always expand to this much, so a tiny but legitimate document is not refused.
    public static let minimumInflateAllowance = 1 << 20

    /// The inflate budget for a file of `size` bytes: min(64 MiB, max(1 MiB, 100 × size)).
    public static func inflateLimit(forFileSize size: Int) -> Int {
        let (scaled, overflow) = size.multipliedReportingOverflow(by: maximumExpansionRatio)
        return min(maximumInflatedBytes, max(minimumInflateAllowance, overflow ? Int.max : scaled))
    }

    public static func extract(bytes: [UInt8], kind: FileKind, extension ext: String) -> FileText {
        switch kind {
        case .text:
            return PlainText.decode(bytes)
        case .unknown where PlainText.hasUTF16ByteOrderMark(bytes), .mp3 where PlainText.hasUTF16ByteOrderMark(bytes):
            // UTF-16 is not UTF-8, so the sniffer does not call it text, and a little-endian BOM (FF FE) often
            // passes its MPEG frame-sync test. The BOM says what it is; strict decoding refuses real audio.
            return PlainText.decode(bytes)
        case .zip:
            guard let format = OfficeFormat(extension: ext) else {
                return .unscannable(
                    reason: "ZIP archives other than Office Open XML documents (.docx, .xlsx, .pptx) are not scanned")
            }
            return OfficeText.extract(
                bytes, format: format, inflateLimit: inflateLimit(forFileSize: bytes.count),
                maximumEntries: ZipArchive.defaultMaximumEntries)
        case .unknown:
            return .unscannable(reason: "the file is of no recognised type, so its text cannot be read")
        case .ole:
            return .unscannable(
                reason: "legacy Office (OLE2) files, including password-protected Office documents, are not scanned")
        default:
            if kind.isExecutable { return .unscannable(reason: "the file is \(kind.phrase); it is not read as text") }
            return .unscannable(reason: "text is not extracted from \(kind.phrase)")
        }
    }
}
