import MCP

/// Small builders for the output schemas, which the Python client checks `structuredContent` against.
enum Schema {
    static let string: Value = ["type": "string"]
    static let nullableString: Value = ["type": ["string", "null"]]
    static let integer: Value = ["type": "integer"]
    static let nullableInteger: Value = ["type": ["integer", "null"]]
    static let boolean: Value = ["type": "boolean"]

    static func array(_ items: Value) -> Value { ["type": "array", "items": items] }

    static func object(_ properties: [String: Value], nullable: Bool = false) -> Value {
        [
            "type": nullable ? ["object", "null"] : "object",
            "properties": .object(properties),
            "required": .array(properties.keys.sorted().map { .string($0) }),
        ]
    }

    static let reason = object(["code": string, "check": string, "detail": string])
    static let finding = object(["kind": string, "severity": string, "masked": string])
    static let recipient = object(["name": nullableString, "jid_masked": nullableString, "allowlisted": boolean])
}

extension Value {
    static func optional(_ text: String?) -> Value { text.map(Value.string) ?? .null }
    static func optional(_ number: Int?) -> Value { number.map(Value.int) ?? .null }
}
