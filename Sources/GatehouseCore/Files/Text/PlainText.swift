/// Decodes text files: UTF-8 (an optional byte-order mark is dropped) or UTF-16 marked by its BOM.
///
/// Decoding is strict. Invalid input is unscannable rather than repaired, because replacement characters
/// would split a secret into pieces no detector matches, and scanning garbage is not scanning the file.
/// NUL is refused as ``ContentSniffer`` refuses it: text files do not contain it.
enum PlainText {
    static func decode(_ bytes: [UInt8]) -> FileText {
        switch utf8(bytes) {
        case .success(let (text, encoding)):
            return .text(String(decoding: text, as: UTF8.self), source: encoding)
        case .failure(let failure):
            return .unscannable(reason: failure.description)
        }
    }

    /// Why bytes are not text.
    enum Failure: Error, Equatable, CustomStringConvertible {
        case invalidUTF8
        case invalidUTF16

        var description: String {
            switch self {
            case .invalidUTF8: "the file is not valid UTF-8 text"
            case .invalidUTF16: "the file starts with a UTF-16 byte-order mark but is not valid UTF-16 text"
            }
        }
    }

    /// Whether `bytes` start with a UTF-16 byte-order mark (FF FE little-endian, FE FF big-endian).
    static func hasUTF16ByteOrderMark(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF))
    }

    /// Valid UTF-8 without its BOM, and the encoding it came in.
    static func utf8(_ bytes: [UInt8]) -> Result<([UInt8], String), Failure> {
        if hasUTF16ByteOrderMark(bytes) {
            guard let text = utf16ToUTF8(bytes) else { return .failure(.invalidUTF16) }
            return .success((text, bytes[0] == 0xFF ? "UTF-16LE text" : "UTF-16BE text"))
        }
        let hasBOM = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
        let body = hasBOM ? Array(bytes.dropFirst(3)) : bytes
        guard ContentSniffer.isText(body[...], isWholeFile: true) else { return .failure(.invalidUTF8) }
        return .success((body, "UTF-8 text"))
    }

    /// Transcodes UTF-16 after a BOM to UTF-8; nil for an odd length, an unpaired surrogate or NUL.
    private static func utf16ToUTF8(_ bytes: [UInt8]) -> [UInt8]? {
        guard bytes.count % 2 == 0 else { return nil }
        let littleEndian = bytes[0] == 0xFF
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var i = 2
        func unit(_ at: Int) -> UInt32 {
            littleEndian ? UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 : UInt32(bytes[at]) << 8 | UInt32(bytes[at + 1])
        }
        while i < bytes.count {
            let high = unit(i)
            i += 2
            var value = high
            if (0xD800...0xDBFF).contains(high) {
                guard i < bytes.count else { return nil }
                let low = unit(i)
                guard (0xDC00...0xDFFF).contains(low) else { return nil }
                i += 2
                value = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
            }
            guard value != 0, let scalar = Unicode.Scalar(value) else { return nil }  // refuses lone low surrogates
            UTF8.encode(scalar) { output.append($0) }
        }
        return output
    }
}
