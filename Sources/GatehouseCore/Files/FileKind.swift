/// What a file's first bytes say it is, whatever its name claims.
///
/// The raw values leave the process (in tool results and the audit), so they are stable.
/// The executable kinds are detected only so a denial can name them; no extension ever expects them.
public enum FileKind: String, Sendable, Hashable, Codable, CaseIterable {
    case pdf
    case png
    case jpeg
    case gif
    case webp
    /// A ZIP archive, which is also what .docx, .xlsx, .pptx and the OpenDocument formats are.
    case zip
    /// An OLE2 compound file: legacy .doc, .xls, .ppt.
    case ole
    /// Valid UTF-8 with no NUL byte in the sniffed prefix.
    case text
    case mp3
    case ogg
    /// An ISO base media file (`ftyp` box): MP4, MOV, M4A, 3GP.
    case isoMedia = "iso_media"
    /// A DOS/Windows executable (`MZ`): .exe, .dll, .scr.
    case windowsExecutable = "windows_executable"
    case elf
    case machO = "mach_o"
    /// A script with a `#!` interpreter line.
    case script
    /// None of the above, including an empty file.
    case unknown

    /// True for kinds that run code when opened, which Gatehouse never sends under any name.
    public var isExecutable: Bool {
        switch self {
        case .windowsExecutable, .elf, .machO, .script: true
        default: false
        }
    }

    /// A short phrase for denial details ("a Windows executable").
    public var phrase: String {
        switch self {
        case .pdf: "a PDF document"
        case .png: "a PNG image"
        case .jpeg: "a JPEG image"
        case .gif: "a GIF image"
        case .webp: "a WebP image"
        case .zip: "a ZIP archive (or an Office/OpenDocument file)"
        case .ole: "a legacy Office (OLE2) document"
        case .text: "UTF-8 text"
        case .mp3: "MP3 audio"
        case .ogg: "Ogg audio"
        case .isoMedia: "an MP4/MOV media file"
        case .windowsExecutable: "a Windows executable"
        case .elf: "a Linux (ELF) executable"
        case .machO: "a macOS (Mach-O) executable"
        case .script: "an executable script (#!)"
        case .unknown: "of no recognised type"
        }
    }
}
