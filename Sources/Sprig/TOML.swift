import Unstructured

/// Helm's `toToml`: TOML as BurntSushi/toml's encoder lays it out — sorted keys, plain
/// values before tables, nested tables and their keys indented two spaces per level,
/// nulls left out. Helm prints the encoder's error text instead of failing.
enum TOML {
    static func string(_ value: Value) -> String {
        guard case let .map(map) = value else { return "toml: top-level values must be Go maps or structs" }
        var out = ""
        write(map, path: [], to: &out)
        return out
    }

    private static func write(_ map: Value.Map, path: [String], to out: inout String) {
        let keys = map.keys.sorted(by: Go.less)
        let indent = String(repeating: "  ", count: path.count)
        for key in keys {
            guard let value = map[key], !value.isNull, !isTable(value), !isTableArray(value) else { continue }
            out += indent + quotedKey(key) + " = " + inline(value) + "\n"
        }
        for key in keys {
            guard let value = map[key] else { continue }
            let childPath = path + [key]
            let header = String(repeating: "  ", count: path.count) + childPath.map(quotedKey).joined(separator: ".")
            if case let .map(child) = value {
                out += (out.isEmpty ? "" : "\n") + header.replacingFirstKeyWith("[") + "]\n"
                write(child, path: childPath, to: &out)
            } else if isTableArray(value), case let .list(items) = value {
                for case let .map(child) in items {
                    out += (out.isEmpty ? "" : "\n") + header.replacingFirstKeyWith("[[") + "]]\n"
                    write(child, path: childPath, to: &out)
                }
            }
        }
    }

    private static func isTable(_ value: Value) -> Bool {
        if case .map = value { return true }
        return false
    }

    private static func isTableArray(_ value: Value) -> Bool {
        guard case let .list(items) = value, !items.isEmpty else { return false }
        return items.allSatisfy(isTable)
    }

    private static func inline(_ value: Value) -> String {
        switch value {
        case .null: return "\"\""
        case let .bool(b): return b ? "true" : "false"
        case let .int(i): return String(i)
        case let .int64(i): return String(i)
        case let .float(d):
            if d.isNaN { return "nan" }
            if d.isInfinite { return d < 0 ? "-inf" : "inf" }
            let text = GoFloat.format(d, .f)
            return text.contains(".") ? text : text + ".0"
        case let .string(s): return quoted(s)
        case let .list(items): return "[" + items.filter { !$0.isNull }.map(inline).joined(separator: ", ") + "]"
        case let .map(map):
            return "{" + map.keys.sorted(by: Go.less).compactMap { key in
                map[key].map { quotedKey(key) + " = " + inline($0) }
            }.joined(separator: ", ") + "}"
        case let .object(object): return inline(object.representation)
        }
    }

    private static func quotedKey(_ key: String) -> String {
        let bare = !key.isEmpty && key.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-") }
        return bare ? key : quoted(key)
    }

    private static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\u{08}": out += "\\b"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\u{0C}": out += "\\f"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7f {
                    out += "\\u" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

private extension String {
    /// The header line: indentation kept, then `[`/`[[` before the dotted key.
    func replacingFirstKeyWith(_ bracket: String) -> String {
        let indentation = prefix { $0 == " " }
        return indentation + bracket + dropFirst(indentation.count)
    }

    func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
