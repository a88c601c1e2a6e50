import Unstructured

/// Removes what may be a secret from values before they are hashed into a record.
///
/// Release records are readable by anyone who may read the stack's namespace; a hash of
/// a short password can be reversed by guessing, so secret-looking values are replaced by
/// a fixed marker before hashing. The cost: changing only a password does not change the
/// values hash shown by `history` (the objects it renders still change, and are applied).
public enum Redaction {
    static let marker: Value = "<redacted>"

    /// Key fragments that mark a value as secret, compared case-insensitively.
    static let secretKeyFragments = [
        "password", "passwd", "secret", "token", "credential", "apikey", "api_key", "accesskey", "access_key",
        "privatekey", "private_key",
    ]

    public static func redacted(_ value: Value) -> Value {
        switch value {
        case let .map(map):
            var result = Value.Map()
            for (key, child) in map {
                result[key] = isSecret(key) && !isContainer(child) ? marker : redacted(child)
            }
            return .map(result)
        case let .list(list):
            return .list(list.map(redacted))
        default:
            return value
        }
    }

    static func isSecret(_ key: String) -> Bool {
        let lowered = key.lowercased()
        return secretKeyFragments.contains { lowered.contains($0) }
    }

    /// Maps and lists under a secret-looking key (`secretRef: {name: ...}`) are walked,
    /// not dropped, so only their leaves are judged.
    private static func isContainer(_ value: Value) -> Bool {
        switch value {
        case .map, .list: true
        default: false
        }
    }
}
