import Testing

@testable import GatehouseCore

@Suite struct PhoneMaskTests {
    @Test(arguments: [
        ("call +44 7700 900123 now", "call +44 •••• •••123 now"),
        ("Message sent to 447700900123", "Message sent to 44•••••••123"),
        ("order 12345, table 6", "order 12345, table 6"),
        ("(020) 7946-0958", "(02•) ••••-•958"),
        ("", ""),
        ("written to outbox as 20261122T051234.567-9495f269-4870-8888-72468eb0.json", "written to outbox as 20261122T051234.567-9495f269-4870-8888-72468eb0.json"),
        ("ref A1234567 and 1234567B", "ref A1234567 and 1234567B"),
    ])
    func numbersOfSevenOrMoreDigitsAreMasked(input: String, expected: String) {
        #expect(PhoneMask.mask(input) == expected)
    }
}
