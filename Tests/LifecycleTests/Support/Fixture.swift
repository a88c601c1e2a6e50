import Foundation
import Unstructured

/// Reads the JSON objects the tests are written in.
///
/// Until the Unstructured JSON codec is on main this bridges Foundation's parser; it is
/// test-only and tells booleans from numbers by their Objective-C type code.
enum Fixture {
    struct Malformed: Error, CustomStringConvertible {
        let description: String
    }

    static func json(_ text: String) throws -> Value {
        try value(JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]))
    }

    private static func value(_ any: Any) throws -> Value {
        switch any {
        case is NSNull: return .null
        case let string as String: return .string(string)
        case let number as NSNumber:
            switch String(cString: number.objCType) {
            case "c", "B": return .bool(number.boolValue)
            case "d", "f": return .float(number.doubleValue)
            default: return .int(number.intValue)
            }
        case let list as [Any]: return .list(try list.map(value))
        case let map as [String: Any]:
            // Foundation loses key order; sort so fixtures read the same every run.
            return .map(Value.Map(uniqueKeysWithValues: try map.keys.sorted().map { ($0, try value(map[$0] as Any)) }))
        default: throw Malformed(description: "unexpected JSON value \(any)")
        }
    }
}
