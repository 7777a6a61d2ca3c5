/// Where a view may hold encoded text: percent-encoded, base64 (or base64url) and hex runs.
///
/// One linear pass. Runs are maximal, so the candidates of a text are few and disjoint per kind (a hex run
/// lies inside a base64 run, a base64 run inside a percent run, and each is tried on its own):
/// - percent: a run of URL characters (printable ASCII except space and `"<>\^{|}` and backtick) holding at
///   least one `%XX`;
/// - base64: a run of `[A-Za-z0-9+/_-]` of at least 12 characters (9 bytes: a tax or ID number), with up to two `=` of padding;
/// - hex: a run of hex digits of at least 16 characters (8 bytes: an SSN or a short password) inside a base64 run.
enum EncodedRunFinder {
    static let minimumBase64Length = 12
    static let minimumHexLength = 16

    enum Kind {
        case percent, base64, hex
    }

    struct Run: Equatable {
        var range: Range<Int>
        var kind: Kind
    }

    static func runs(in text: MappedText) -> [Run] {
        text.bytes.withUnsafeBufferPointer { runs(in: $0) }
    }

    static func runs(in p: UnsafeBufferPointer<UInt8>) -> [Run] {
        // The table goes in as a pointer: a static read in the loop costs a `swift_once` each time.
        classes.withUnsafeBufferPointer { runs(in: p, $0.baseAddress!) }
    }

    private static func runs(in p: UnsafeBufferPointer<UInt8>, _ classes: UnsafePointer<UInt8>) -> [Run] {
        var result: [Run] = []
        let n = p.count
        // One loop, one table load per byte: a URL run ends at a non-URL byte; it is a percent candidate if it
        // held a `%`, and is searched for base64 if it is long enough.
        var start = 0
        var percent = false
        var i = 0
        while i < n {
            let cls = classes[Int(p[i])]
            if cls & url == 0 {
                if i > start { finish(p, classes, start..<i, percent, into: &result) }
                start = i + 1
                percent = false
            } else if cls & percentSign != 0 {
                percent = true
            }
            i += 1
        }
        if n > start { finish(p, classes, start..<n, percent, into: &result) }
        return result
    }

    /// Adds a URL run's candidates: itself if it holds a valid `%XX`, and its base64 and hex runs.
    private static func finish(
        _ p: UnsafeBufferPointer<UInt8>, _ classes: UnsafePointer<UInt8>, _ range: Range<Int>, _ percent: Bool,
        into result: inout [Run]
    ) {
        if percent {
            var i = range.lowerBound
            while i + 2 < range.upperBound {
                if p[i] == 0x25 && classes[Int(p[i + 1])] & hex != 0 && classes[Int(p[i + 2])] & hex != 0 {
                    result.append(Run(range: range, kind: .percent))
                    break
                }
                i += 1
            }
        }
        if range.count >= minimumBase64Length { base64Runs(p, classes, range, into: &result) }
    }

    /// The base64 runs of a URL-character run, each followed by the hex runs inside it.
    private static func base64Runs(
        _ p: UnsafeBufferPointer<UInt8>, _ classes: UnsafePointer<UInt8>, _ range: Range<Int>, into result: inout [Run]
    ) {
        var j = range.lowerBound
        let end = range.upperBound
        var hexRuns: [Run] = []
        while j < end {
            while j < end && classes[Int(p[j])] & base64 == 0 { j += 1 }
            let start = j
            var hexStart = j
            while j < end {
                let cls = classes[Int(p[j])]
                guard cls & base64 != 0 else { break }
                if cls & hex == 0 {
                    if j - hexStart >= minimumHexLength { hexRuns.append(Run(range: hexStart..<j, kind: .hex)) }
                    hexStart = j + 1
                }
                j += 1
            }
            let bodyEnd = j
            if bodyEnd - hexStart >= minimumHexLength { hexRuns.append(Run(range: hexStart..<bodyEnd, kind: .hex)) }
            guard bodyEnd - start >= minimumBase64Length else {
                hexRuns.removeAll()
                continue
            }
            while j < end && p[j] == 0x3D && j - bodyEnd < 2 { j += 1 }
            result.append(Run(range: start..<j, kind: .base64))
            result += hexRuns
            hexRuns.removeAll()
        }
    }

    private static let url: UInt8 = 1
    private static let base64: UInt8 = 2
    private static let hex: UInt8 = 4
    private static let percentSign: UInt8 = 8

    private static let classes: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 256)
        for b in 0x21...0x7E where !"\"<>\\^`{|}".utf8.contains(UInt8(b)) { table[b] |= url }
        for b in Array(0x41...0x5A) + Array(0x61...0x7A) + Array(0x30...0x39) { table[b] |= base64 }
        for b in "+/_-".utf8 { table[Int(b)] |= base64 }
        for b in Array(0x30...0x39) + Array(0x41...0x46) + Array(0x61...0x66) { table[b] |= hex }
        table[0x25] |= percentSign
        return table
    }()

    /// The value of a hex digit; only call with one.
    @inline(__always) static func hexValue(_ b: UInt8) -> UInt8 {
        b <= 0x39 ? b - 0x30 : (b | 0x20) - 0x61 + 10
    }

    @inline(__always) static func isHexDigit(_ b: UInt8) -> Bool { classes[Int(b)] & hex != 0 }
}
