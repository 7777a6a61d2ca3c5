/// Why a ZIP archive (or an Office file, which is one) was refused.
///
/// Descriptions become the reason in ``FileText/unscannable(reason:)``, so they name entries only by
/// position, never by name: names are chosen by whoever made the file and may carry the very data the
/// scan exists to catch.
enum ZipError: Error, Equatable, CustomStringConvertible {
    case noEndOfCentralDirectory
    case zip64
    case multipleDisks
    case tooManyEntries(count: Int, limit: Int)
    case corruptCentralDirectory
    case unsafeName(entry: Int)
    case duplicateName(entry: Int)
    case encrypted(entry: Int)
    case unsupportedMethod(entry: Int, method: Int)
    case corruptLocalHeader(entry: Int)
    case dataOutOfBounds(entry: Int)
    case sizeMismatch(entry: Int)
    case inflate(entry: Int, InflateError)
    case checksumMismatch(entry: Int)
    case expansionLimitExceeded(limit: Int)

    var description: String {
        switch self {
        case .noEndOfCentralDirectory: "the ZIP archive is truncated or corrupt (no end of central directory)"
        case .zip64: "ZIP64 archives are not supported"
        case .multipleDisks: "multi-part (spanned) ZIP archives are not supported"
        case .tooManyEntries(let count, let limit): "the ZIP archive has \(count) entries, more than the \(limit) allowed"
        case .corruptCentralDirectory: "the ZIP archive's central directory is corrupt"
        case .unsafeName(let entry): "ZIP entry \(entry) has an unsafe name (absolute, '..', or a NUL byte)"
        case .duplicateName(let entry): "ZIP entry \(entry) repeats the name of an earlier entry"
        case .encrypted(let entry): "ZIP entry \(entry) is encrypted"
        case .unsupportedMethod(let entry, let method): "ZIP entry \(entry) uses unsupported compression method \(method)"
        case .corruptLocalHeader(let entry): "ZIP entry \(entry) has a corrupt or inconsistent local header"
        case .dataOutOfBounds(let entry): "ZIP entry \(entry) extends past its archive's data"
        case .sizeMismatch(let entry): "ZIP entry \(entry) is not the size its header declares"
        case .inflate(let entry, let error): "ZIP entry \(entry) cannot be decompressed: \(error)"
        case .checksumMismatch(let entry): "ZIP entry \(entry) fails its CRC-32 check"
        case .expansionLimitExceeded(let limit):
            "the archive decompresses to more than \(limit) bytes (a possible zip bomb)"
        }
    }
}
