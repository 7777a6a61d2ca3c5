import Testing

@testable import GatehouseCore
import GatehouseTesting

@Suite struct JSONValueTests {
    @Test func objectsAreSortedWithoutSpace() {
        let value = JSONValue.object([
            "zeta": .int(1), "alpha": .array([.null, .bool(true), .bool(false)]), "Mid": .object(["b": .int(-2), "a": .string("x")]),
        ])
        #expect(value.canonical == #"{"Mid":{"a":"x","b":-2},"alpha":[null,true,false],"zeta":1}"#)
    }

    @Test func keysSortByUTF8BytesNotLocale() {
        let value = JSONValue.object(["é": .int(1), "z": .int(2), "Z": .int(3), "a": .int(4), "_": .int(5), "10": .int(6), "9": .int(7)])
        #expect(value.canonical == #"{"10":6,"9":7,"Z":3,"_":5,"a":4,"z":2,"\u00e9":1}"#)
    }

    @Test(arguments: [
        ("\u{2028}", #""\u2028""#),
        ("\u{2029}", #""\u2029""#),
        ("😀", #""\ud83d\ude00""#),
        ("\u{0}", #""\u0000""#),
        ("\u{1F}", #""\u001f""#),
        ("\u{7F}", #""\u007f""#),
        ("é", #""\u00e9""#),
        ("\"\\", #""\"\\""#),
        ("\n\r\t", #""\n\r\t""#),
        ("a/b", #""a/b""#),
        ("plain text", #""plain text""#),
    ])
    func stringsAreEscapedToASCII(text: String, expected: String) {
        let canonical = JSONValue.string(text).canonical
        #expect(canonical == expected)
        #expect(canonical.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F })
        #expect(JSONParser.parse(canonical) == .string(text))
    }

    @Test func keysAreEscapedToo() {
        #expect(JSONValue.object(["k\u{2028}": .null]).canonical == #"{"k\u2028":null}"#)
    }

    @Test func handPickedValuesRoundTrip() {
        let values: [JSONValue] = [
            .null, .bool(true), .bool(false), .int(0), .int(-1), .int(999_999_999_999_999_999), .int(-999_999_999_999_999_999),
            .string(""), .string("🇬🇧 e\u{301} \u{FEFF}\u{200B} \u{0} \u{2028}"), .array([]), .object([:]),
            .array([.array([.array([])])]), .object(["": .string("empty key")]),
        ]
        for value in values {
            #expect(JSONParser.parse(value.canonical) == value, "\(value)")
        }
    }

    @Test func randomValuesRoundTripAndStayASCII() {
        var generator = SeededJSONGenerator(seed: 2028)
        for _ in 0..<1_000 {
            let value = randomValue(depth: 0, using: &generator)
            let canonical = value.canonical
            #expect(canonical.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F })
            #expect(!canonical.contains("\n"))
            #expect(JSONParser.parse(canonical) == value, "\(canonical)")
            #expect(JSONParser.parse(canonical)?.canonical == canonical)
        }
    }

    @Test func intExtremesRoundTripAndOverflowNeverWraps() {
        #expect(JSONParser.parse(JSONValue.int(Int.max).canonical) == .int(Int.max))
        #expect(JSONParser.parse(JSONValue.int(Int.min).canonical) == .int(Int.min))
        // Past Int's range a number is a double, as JSON means it; never a wrapped integer.
        #expect(JSONParser.parse("9223372036854775808") == .double(9_223_372_036_854_775_808))
        #expect(JSONParser.parse("-9223372036854775809") == .double(-9_223_372_036_854_775_808))
        #expect(JSONParser.parse("99999999999999999999") == .double(1e20))
    }

    @Test func fractionsAndExponentsAreDoubles() {
        #expect(JSONParser.parse("1.5") == .double(1.5))
        #expect(JSONParser.parse("-1e3") == .double(-1000))
        #expect(JSONParser.parse("[2.0]") == .array([.double(2)]))
    }

    @Test(arguments: [
        "", " ", "{", "}", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "\"unterminated", "\"raw\ncontrol\"", "\"bad \\x escape\"",
        "\"\\u12\"", "1.", ".5", "01", "1e", "-", "tru", "nul", "[1] x", "{} {}", "'single'", "NaN", "\"\\uZZZZ\"",
    ])
    func parserRefusesMalformedJSON(text: String) {
        #expect(JSONParser.parse(text) == nil)
    }

    @Test func parserBoundsDepth() {
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(JSONParser.parse(deep) == nil)
        let shallow = String(repeating: "[", count: 10) + String(repeating: "]", count: 10)
        #expect(JSONParser.parse(shallow) != nil)
    }

    @Test func parserAcceptsInsignificantSpaceAndKeepsTypes() {
        #expect(JSONParser.parse(" { \"a\" : [ 1 , true , null ] }\n") == .object(["a": .array([.int(1), .bool(true), .null])]))
        #expect(JSONParser.parse("1") == .int(1))
        #expect(JSONParser.parse("true") == .bool(true))
        #expect(JSONParser.parse("1") != .bool(true))
    }

    @Test func accessors() {
        let value = JSONParser.parse(#"{"seq":3,"prev_hash":"00"}"#)
        #expect(value?["seq"]?.intValue == 3)
        #expect(value?["prev_hash"]?.stringValue == "00")
        #expect(value?["seq"]?.stringValue == nil)
        #expect(value?["missing"] == nil)
        #expect(JSONValue.int(1)["x"] == nil)
    }

    private func randomValue(depth: Int, using generator: inout SeededJSONGenerator) -> JSONValue {
        let pick = Int.random(in: 0..<(depth > 3 ? 4 : 6), using: &generator)
        switch pick {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &generator))
        case 2: return .int(Int.random(in: -999_999_999_999_999_999...999_999_999_999_999_999, using: &generator))
        case 3: return .string(randomString(using: &generator))
        case 4: return .array((0..<Int.random(in: 0...4, using: &generator)).map { _ in randomValue(depth: depth + 1, using: &generator) })
        default:
            var members: [String: JSONValue] = [:]
            for _ in 0..<Int.random(in: 0...4, using: &generator) {
                members[randomString(using: &generator)] = randomValue(depth: depth + 1, using: &generator)
            }
            return .object(members)
        }
    }

    private func randomString(using generator: inout SeededJSONGenerator) -> String {
        let pieces = ["a", "Z", "0", " ", "\"", "\\", "/", "\n", "\u{0}", "\u{7F}", "\u{2028}", "é", "e\u{301}", "😀", "🇬🇧", "\u{FEFF}", "中", "\u{10FFFF}"]
        return (0..<Int.random(in: 0...8, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
    }
}

private typealias SeededJSONGenerator = SeededGenerator
