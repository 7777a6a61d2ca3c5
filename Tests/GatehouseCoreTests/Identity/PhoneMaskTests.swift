import Testing

@testable import GatehouseCore

@Suite struct PhoneMaskTests {
    @Test(arguments: [
        ("call +44 7700 900123 now", "call +44 •••• •••123 now"),
        ("Message sent to 447700900123", "Message sent to 44•••••••123"),
        ("order 12345, table 6", "order 12345, table 6"),
        ("(020) 7946-0958", "(02•) ••••-•958"),
        ("", ""),
    ])
    func numbersOfSevenOrMoreDigitsAreMasked(input: String, expected: String) {
        #expect(PhoneMask.mask(input) == expected)
    }
}
