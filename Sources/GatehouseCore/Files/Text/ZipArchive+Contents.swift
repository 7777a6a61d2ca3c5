/// Tracks how many bytes inflating may still produce across all entries of one archive, so that many
/// modest entries cannot add up to a bomb either.
struct InflateBudget {
    let limit: Int
    private(set) var remaining: Int

    init(limit: Int) {
        self.limit = limit
        self.remaining = limit
    }

    mutating func spend(_ count: Int) throws {
        guard count <= remaining else { throw ZipError.expansionLimitExceeded(limit: limit) }
        remaining -= count
    }
}

extension ZipArchive {
    /// An entry's bytes: local header checked against the central record, data inflated within the budget,
    /// length and CRC-32 verified.
    func contents(of entry: Entry, budget: inout InflateBudget) throws -> [UInt8] {
        let reader = ZipByteReader(bytes)
        let offset = entry.localHeaderOffset
        guard offset + 30 <= centralDirectoryOffset, reader.u32(offset) == 0x0403_4B50 else {
            throw ZipError.corruptLocalHeader(entry: entry.number)
        }
        let flags = reader.u16(offset + 6)
        let method = reader.u16(offset + 8)
        let nameLength = reader.u16(offset + 26)
        let extraLength = reader.u16(offset + 28)
        let dataStart = offset + 30 + nameLength + extraLength
        // The local copy must agree on what matters: a different name or method here is how archives are
        // made to look different to different readers.
        guard method == entry.method, flags & 0x0041 == 0, dataStart <= centralDirectoryOffset,
            bytes[(offset + 30)..<(offset + 30 + nameLength)].elementsEqual(entry.nameBytes)
        else { throw ZipError.corruptLocalHeader(entry: entry.number) }
        let dataEnd = dataStart + entry.compressedSize
        guard dataEnd <= centralDirectoryOffset else { throw ZipError.dataOutOfBounds(entry: entry.number) }

        // Refuse on the declared size before allocating or inflating anything.
        guard entry.uncompressedSize <= budget.remaining else {
            throw ZipError.expansionLimitExceeded(limit: budget.limit)
        }
        let output: [UInt8]
        if entry.method == 0 {
            guard entry.compressedSize == entry.uncompressedSize else { throw ZipError.sizeMismatch(entry: entry.number) }
            output = Array(bytes[dataStart..<dataEnd])
        } else {
            do {
                output = try Inflater.inflate(
                    bytes[dataStart..<dataEnd], sizeHint: entry.uncompressedSize, limit: entry.uncompressedSize)
            } catch InflateError.outputLimitExceeded {
                throw ZipError.sizeMismatch(entry: entry.number)
            } catch let error as InflateError {
                throw ZipError.inflate(entry: entry.number, error)
            }
            guard output.count == entry.uncompressedSize else { throw ZipError.sizeMismatch(entry: entry.number) }
        }
        guard CRC32.checksum(output) == entry.crc32 else { throw ZipError.checksumMismatch(entry: entry.number) }
        try budget.spend(output.count)
        return output
    }
}
