import Crypto
import Unstructured

/// A digest of a `Value` that depends only on its content: map keys are visited in
/// sorted order, so two renders that differ only in key order hash the same, and every
/// element is tagged and length-prefixed, so no two different values share an encoding.
///
/// It is not a serialization and is never parsed back; it exists so "has the desired
/// state changed?" can be answered from a short annotation without storing the object.
public enum StableHash {
    /// `sha256:` and 64 hex digits.
    public static func of(_ value: Value) -> String {
        var hasher = SHA256()
        feed(value.plain, into: &hasher)
        return "sha256:" + hasher.finalize().map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    private static func feed(_ value: Value, into hasher: inout SHA256) {
        switch value {
        case .null: tag("n", into: &hasher)
        case let .bool(bool): tag(bool ? "t" : "f", into: &hasher)
        case let .int(int): tag("i", into: &hasher); text(String(int), into: &hasher)
        case .int64: feed(value.plain, into: &hasher)
        case let .float(float): tag("d", into: &hasher); text(String(float.bitPattern), into: &hasher)
        case let .string(string): tag("s", into: &hasher); text(string, into: &hasher)
        case let .list(list):
            tag("l", into: &hasher)
            text(String(list.count), into: &hasher)
            for element in list { feed(element, into: &hasher) }
        case let .map(map):
            tag("m", into: &hasher)
            text(String(map.count), into: &hasher)
            for key in map.keys.sorted() {
                text(key, into: &hasher)
                feed(map[key] ?? .null, into: &hasher)
            }
        case .object:
            // `plain` has replaced host objects by their representation.
            tag("o", into: &hasher)
        }
    }

    private static func tag(_ character: Character, into hasher: inout SHA256) {
        hasher.update(data: Array(String(character).utf8))
    }

    private static func text(_ string: String, into hasher: inout SHA256) {
        let bytes = Array(string.utf8)
        hasher.update(data: Array(String(bytes.count).utf8) + [0x3A])  // length ':'
        hasher.update(data: bytes)
    }
}
