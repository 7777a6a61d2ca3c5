/// A ZIP archive's directory (APPNOTE.TXT §4.3), read from bytes in memory, for pulling Office parts out.
///
/// The central directory is authoritative, as in every mainstream reader; each local header is checked
/// against it when an entry is read (``ZipArchive/contents(of:budget:)``). Whole-archive checks happen
/// here, before anything is inflated, so a hostile archive fails fast and cheaply:
/// - ZIP64 and spanned archives are refused, not half-supported: Office never writes them below 4 GiB.
/// - More than `maximumEntries` entries is refused before the directory is parsed.
/// - An encrypted entry, or one neither stored nor deflated, anywhere makes the archive unscannable:
///   the file goes out whole, so content the gate cannot read must not ride along.
/// - Names that are absolute or contain a `..` component are refused, and so are duplicates, compared
///   ASCII-case-insensitively as OPC part names are (ECMA-376 Part 2 §6.2.2.3): two readers could pick
///   different copies, and the gate must scan what the recipient sees.
struct ZipArchive {
    /// One central-directory record.
    struct Entry: Equatable {
        /// 1-based position in the central directory, for error messages that must not echo names.
        let number: Int
        let name: String
        let method: Int
        let crc32: UInt32
        let compressedSize: Int
        let uncompressedSize: Int
        let localHeaderOffset: Int
        /// The name as stored, for comparison with the local header's copy.
        let nameBytes: [UInt8]
    }

    static let defaultMaximumEntries = 10_000

    let bytes: [UInt8]
    let entries: [Entry]
    /// Where the central directory starts; entry data must end before it.
    let centralDirectoryOffset: Int
    /// Entries by ASCII-lower-cased name.
    private let index: [String: Int]

    init(bytes: [UInt8], maximumEntries: Int = Self.defaultMaximumEntries) throws {
        let reader = ZipByteReader(bytes)
        guard let end = Self.endOfCentralDirectory(reader) else { throw ZipError.noEndOfCentralDirectory }
        // A ZIP64 locator sits just before the classic record; ignoring it would misread the archive.
        if end >= 20 && reader.u32(end - 20) == 0x0706_4B50 { throw ZipError.zip64 }
        let disk = reader.u16(end + 4)
        let directoryDisk = reader.u16(end + 6)
        let entriesOnDisk = reader.u16(end + 8)
        let entryCount = reader.u16(end + 10)
        let directorySize = reader.u32(end + 12)
        let directoryOffset = reader.u32(end + 16)
        if entryCount == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
            throw ZipError.zip64
        }
        guard disk == 0 && directoryDisk == 0 && entriesOnDisk == entryCount else { throw ZipError.multipleDisks }
        guard entryCount <= maximumEntries else {
            throw ZipError.tooManyEntries(count: entryCount, limit: maximumEntries)
        }
        guard directoryOffset + directorySize <= end, entryCount * 46 <= directorySize else {
            throw ZipError.corruptCentralDirectory
        }

        var entries: [Entry] = []
        entries.reserveCapacity(entryCount)
        var index: [String: Int] = [:]
        var p = directoryOffset
        let directoryEnd = directoryOffset + directorySize
        for number in stride(from: 1, through: entryCount, by: 1) {
            guard p + 46 <= directoryEnd, reader.u32(p) == 0x0201_4B50 else { throw ZipError.corruptCentralDirectory }
            let flags = reader.u16(p + 8)
            let method = reader.u16(p + 10)
            let compressedSize = reader.u32(p + 20)
            let uncompressedSize = reader.u32(p + 24)
            let nameLength = reader.u16(p + 28)
            let extraLength = reader.u16(p + 30)
            let commentLength = reader.u16(p + 32)
            let localHeaderOffset = reader.u32(p + 42)
            let next = p + 46 + nameLength + extraLength + commentLength
            guard next <= directoryEnd else { throw ZipError.corruptCentralDirectory }
            if compressedSize == 0xFFFF_FFFF || uncompressedSize == 0xFFFF_FFFF || localHeaderOffset == 0xFFFF_FFFF {
                throw ZipError.zip64
            }
            // Bit 0: encrypted; bit 6: strong encryption; method 99: WinZip AES.
            if flags & 0x0041 != 0 || method == 99 { throw ZipError.encrypted(entry: number) }
            guard method == 0 || method == 8 else { throw ZipError.unsupportedMethod(entry: number, method: method) }
            let nameBytes = Array(bytes[(p + 46)..<(p + 46 + nameLength)])
            guard Self.isSafeName(nameBytes) else { throw ZipError.unsafeName(entry: number) }
            let name = String(decoding: nameBytes, as: UTF8.self)
            let key = Self.foldedKey(name)
            guard index[key] == nil else { throw ZipError.duplicateName(entry: number) }
            index[key] = entries.count
            entries.append(
                Entry(
                    number: number, name: name, method: method, crc32: UInt32(reader.u32(p + 16)),
                    compressedSize: compressedSize, uncompressedSize: uncompressedSize,
                    localHeaderOffset: localHeaderOffset, nameBytes: nameBytes))
            p = next
        }
        self.bytes = bytes
        self.entries = entries
        self.centralDirectoryOffset = directoryOffset
        self.index = index
    }

    /// The entry with this name, compared ASCII-case-insensitively.
    func entry(named name: String) -> Entry? {
        index[Self.foldedKey(name)].map { entries[$0] }
    }

    /// The end-of-central-directory record's offset: the last signature, searched back over at most the
    /// 22-byte record plus the longest comment, whose comment fits in the file.
    private static func endOfCentralDirectory(_ reader: ZipByteReader) -> Int? {
        let count = reader.bytes.count
        guard count >= 22 else { return nil }
        var p = count - 22
        let lowest = max(0, count - 22 - 0xFFFF)
        while p >= lowest {
            if reader.u32(p) == 0x0605_4B50 && p + 22 + reader.u16(p + 20) <= count { return p }
            p -= 1
        }
        return nil
    }

    /// Refuses names that would land outside an extraction directory or that differ between readers:
    /// empty, absolute (`/x`, `\x`, `C:`), containing NUL, or with a `..` component (either separator).
    private static func isSafeName(_ name: [UInt8]) -> Bool {
        guard let first = name.first, first != 0x2F, first != 0x5C else { return false }
        if name.count >= 2 && name[1] == 0x3A { return false }  // drive letter
        var componentStart = 0
        for i in 0...name.count {
            let b: UInt8 = i < name.count ? name[i] : 0x2F
            if b == 0 { return false }
            if b == 0x2F || b == 0x5C {
                if i - componentStart == 2 && name[componentStart] == 0x2E && name[componentStart + 1] == 0x2E {
                    return false
                }
                componentStart = i + 1
            }
        }
        return true
    }

    private static func foldedKey(_ name: String) -> String {
        String(decoding: name.utf8.map { $0 &- 0x41 < 26 ? $0 | 0x20 : $0 }, as: UTF8.self)
    }
}

/// Little-endian fields at absolute offsets; callers check bounds before reading.
struct ZipByteReader {
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func u16(_ offset: Int) -> Int { Int(bytes[offset]) | Int(bytes[offset + 1]) << 8 }
    func u32(_ offset: Int) -> Int { u16(offset) | u16(offset + 2) << 16 }
}
