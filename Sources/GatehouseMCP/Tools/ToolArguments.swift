import Foundation
import MCP

/// The arguments a tool accepts, checked by hand (the SDK validates nothing against `inputSchema`).
struct ArgumentSpec: Sendable {
    enum Kind: Sendable { case string(maxLength: Int), integer(ClosedRange<Int>) }

    struct Property: Sendable {
        let name: String
        let kind: Kind
        let required: Bool
        let description: String
    }

    let properties: [Property]

    /// The JSON Schema the tool advertises; `additionalProperties: false` because unknown
    /// arguments are refused rather than ignored.
    var schema: Value {
        var members: [String: Value] = [:]
        for property in properties {
            switch property.kind {
            case .string(let maxLength):
                members[property.name] = .object([
                    "type": "string", "maxLength": .int(maxLength), "description": .string(property.description),
                ])
            case .integer(let range):
                members[property.name] = .object([
                    "type": "integer", "minimum": .int(range.lowerBound), "maximum": .int(range.upperBound),
                    "description": .string(property.description),
                ])
            }
        }
        return .object([
            "type": "object", "properties": .object(members),
            "required": .array(properties.filter(\.required).map { .string($0.name) }), "additionalProperties": false,
        ])
    }

    /// Validated arguments, or a sentence saying what is wrong with them.
    func validate(_ arguments: [String: Value]?) -> Result<ToolArguments, ArgumentError> {
        let arguments = arguments ?? [:]
        var strings: [String: String] = [:]
        var integers: [String: Int] = [:]
        for key in arguments.keys.sorted() where !properties.contains(where: { $0.name == key }) {
            let known = properties.map(\.name).joined(separator: ", ")
            return .failure(ArgumentError("unknown argument '\(Self.shown(key))'; this tool takes: \(known)"))
        }
        for property in properties {
            guard let value = arguments[property.name], value != .null else {
                if property.required { return .failure(ArgumentError("missing required argument '\(property.name)'")) }
                continue
            }
            switch property.kind {
            case .string(let maxLength):
                guard let text = Self.string(value) else {
                    return .failure(ArgumentError("argument '\(property.name)' must be a string, not \(Self.typeName(value))"))
                }
                guard text.unicodeScalars.count <= maxLength else {
                    return .failure(
                        ArgumentError("argument '\(property.name)' is too long (\(text.unicodeScalars.count) characters, limit \(maxLength))"))
                }
                guard !text.unicodeScalars.contains("\u{0}") else {
                    return .failure(ArgumentError("argument '\(property.name)' contains a NUL character"))
                }
                strings[property.name] = text
            case .integer(let range):
                let number: Int?
                switch value {
                case .int(let int): number = int
                case .double(let double) where double.rounded() == double && abs(double) < 1e15: number = Int(double)
                default: number = nil
                }
                guard let number else {
                    return .failure(ArgumentError("argument '\(property.name)' must be an integer, not \(Self.typeName(value))"))
                }
                guard range.contains(number) else {
                    return .failure(ArgumentError("argument '\(property.name)' must be between \(range.lowerBound) and \(range.upperBound)"))
                }
                integers[property.name] = number
            }
        }
        return .success(ToolArguments(strings: strings, integers: integers))
    }

    /// The SDK decodes a string that looks like a data URL into `.data`; give it back as the string it was.
    static func string(_ value: Value) -> String? {
        switch value {
        case .string(let text): return text
        case .data(let mimeType, let data): return data.dataURLEncoded(mimeType: mimeType)
        default: return nil
        }
    }

    static func typeName(_ value: Value) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int, .double: return "a number"
        case .string, .data: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    static func shown(_ key: String) -> String {
        let printable = String(String.UnicodeScalarView(key.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }))
        return printable.count > 40 ? String(printable.prefix(40)) + "…" : printable
    }
}

struct ToolArguments: Sendable {
    let strings: [String: String]
    let integers: [String: Int]

    subscript(string name: String) -> String? { strings[name] }
    subscript(integer name: String) -> Int? { integers[name] }
}

struct ArgumentError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
