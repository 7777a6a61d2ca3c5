/// Names a file's kind from its first bytes (magic numbers), never from its name.
///
/// Executable signatures are tested first, so a file that starts like an executable is reported as one
/// even if it would also pass as text (`\u{7F}ELF` is valid ASCII). Checks are anchored at offset 0:
/// a PDF with junk before `%PDF-` is `unknown`, which fails closed.
public enum ContentSniffer {
    /// How many leading bytes the I/O layer should hand to ``sniff(_:isWholeFile:)``.
    public static let prefixLength = 4096

    /// Sniffs a prefix that may be cut short of the file's end.
    public static func sniff(_ prefix: [UInt8]) -> FileKind {
        sniff(prefix, isWholeFile: false)
    }

    /// Sniffs `prefix`; `isWholeFile` says the prefix is the entire file, so a UTF-8 sequence cut at its
    /// end is an error rather than an artefact of the cut.
    public static func sniff(_ prefix: [UInt8], isWholeFile: Bool) -> FileKind {
        let b = prefix[...]
        if b.isEmpty { return .unknown }
        if b.starts(with: [0x4D, 0x5A]) { return .windowsExecutable }  // "MZ"
        if b.starts(with: [0x7F, 0x45, 0x4C, 0x46]) { return .elf }
        if isMachO(b) { return .machO }
        if b.starts(with: [0x23, 0x21]) { return .script }  // "#!"

        if b.starts(with: Array("%PDF-".utf8)) { return .pdf }
        if b.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if b.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if b.starts(with: Array("GIF87a".utf8)) || b.starts(with: Array("GIF89a".utf8)) { return .gif }
        if b.count >= 12, b.starts(with: Array("RIFF".utf8)), b.dropFirst(8).starts(with: Array("WEBP".utf8)) {
            return .webp
        }
        if b.starts(with: [0x50, 0x4B, 0x03, 0x04]) || b.starts(with: [0x50, 0x4B, 0x05, 0x06]) { return .zip }
        if b.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { return .ole }
        if b.starts(with: Array("OggS".utf8)) { return .ogg }
        if isISOMedia(b) { return .isoMedia }
        if b.starts(with: Array("ID3".utf8)) || isMPEGAudioFrame(b) { return .mp3 }
        if isText(b, isWholeFile: isWholeFile) { return .text }
        return .unknown
    }

    private static func isMachO(_ b: ArraySlice<UInt8>) -> Bool {
        let magics: [[UInt8]] = [
            [0xFE, 0xED, 0xFA, 0xCE], [0xFE, 0xED, 0xFA, 0xCF],  // 32/64-bit, big-endian
            [0xCE, 0xFA, 0xED, 0xFE], [0xCF, 0xFA, 0xED, 0xFE],  // 32/64-bit, little-endian
            [0xCA, 0xFE, 0xBA, 0xBE], [0xCA, 0xFE, 0xBA, 0xBF],  // universal (also Java class files)
        ]
        return magics.contains { b.starts(with: $0) }
    }

    /// An ISO BMFF file opens with a box whose type is `ftyp` and whose size is at least its 8-byte header
    /// (or 1, meaning a 64-bit size follows). ISO/IEC 14496-12 §4.2.
    private static func isISOMedia(_ b: ArraySlice<UInt8>) -> Bool {
        guard b.count >= 8, b.dropFirst(4).starts(with: Array("ftyp".utf8)) else { return false }
        let i = b.startIndex
        let size = UInt32(b[i]) << 24 | UInt32(b[i + 1]) << 16 | UInt32(b[i + 2]) << 8 | UInt32(b[i + 3])
        return size == 1 || size >= 8
    }

    /// An MPEG-1/2 audio frame header without an ID3 tag: 11 sync bits, then no reserved version,
    /// layer, bitrate or sample-rate values (which also rules out ADTS AAC, whose layer is 00).
    private static func isMPEGAudioFrame(_ b: ArraySlice<UInt8>) -> Bool {
        guard b.count >= 4 else { return false }
        let i = b.startIndex
        let (b0, b1, b2) = (b[i], b[i + 1], b[i + 2])
        guard b0 == 0xFF, b1 & 0xE0 == 0xE0 else { return false }
        let version = (b1 >> 3) & 0x03
        let layer = (b1 >> 1) & 0x03
        let bitrate = b2 >> 4
        let sampleRate = (b2 >> 2) & 0x03
        return version != 0b01 && layer != 0b00 && bitrate != 0b1111 && sampleRate != 0b11
    }

    /// Valid UTF-8 (no overlongs, surrogates or code points past U+10FFFF; RFC 3629 §4) without NUL.
    /// A sequence cut by the end of a partial prefix is allowed.
    static func isText(_ b: ArraySlice<UInt8>, isWholeFile: Bool) -> Bool {
        var i = b.startIndex
        while i < b.endIndex {
            let lead = b[i]
            if lead == 0 { return false }
            if lead < 0x80 {
                i += 1
                continue
            }
            let length: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: (length, low) = (3, 0xA0)
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: (length, high) = (3, 0x9F)
            case 0xF0: (length, low) = (4, 0x90)
            case 0xF1...0xF3: length = 4
            case 0xF4: (length, high) = (4, 0x8F)
            default: return false
            }
            for k in 1..<length {
                let j = i + k
                if j >= b.endIndex { return !isWholeFile }
                let c = b[j]
                let (lo, hi) = k == 1 ? (low, high) : (UInt8(0x80), UInt8(0xBF))
                if c < lo || c > hi { return false }
            }
            i += length
        }
        return true
    }
}
