/// Why a DEFLATE stream was refused. Every malformed stream ends in one of these, never in a trap,
/// so a hostile file becomes an unscannable verdict with a reason an operator can read.
enum InflateError: Error, Equatable, CustomStringConvertible {
    /// The stream ended before its final block did.
    case truncated
    /// Block type 3, which RFC 1951 §3.2.3 reserves.
    case invalidBlockType
    /// A stored block whose LEN is not the complement of its NLEN (§3.2.4).
    case storedLengthMismatch
    /// A dynamic block declaring more than 286 literal/length or 30 distance codes (§3.2.7).
    case tooManyCodes
    /// Code lengths that over-subscribe the code space, or leave it incomplete where zlib refuses that.
    case invalidCodeLengths
    /// A code-length repeat (16) with nothing to repeat, or repeats running past the declared count.
    case invalidRepeat
    /// A dynamic block whose end-of-block symbol (256) has no code.
    case missingEndOfBlock
    /// Bits that decode to no symbol, or to a symbol the format reserves (286, 287, distances 30, 31).
    case invalidSymbol
    /// A back-reference to before the start of the output.
    case distanceTooFar
    /// More output than the caller allowed (the zip-bomb cap, or the entry's declared size).
    case outputLimitExceeded

    var description: String {
        switch self {
        case .truncated: "the compressed data ends early"
        case .invalidBlockType: "the compressed data uses a reserved block type"
        case .storedLengthMismatch: "a stored block's length check fails"
        case .tooManyCodes: "a compressed block declares too many Huffman codes"
        case .invalidCodeLengths: "a compressed block has an invalid Huffman table"
        case .invalidRepeat: "a compressed block's Huffman table repeats past its end"
        case .missingEndOfBlock: "a compressed block has no end-of-block code"
        case .invalidSymbol: "the compressed data contains an invalid code"
        case .distanceTooFar: "the compressed data refers to bytes before its start"
        case .outputLimitExceeded: "the compressed data expands past the allowed size"
        }
    }
}
