import Unstructured

/// Removes secrets from what the debug log prints: Secret `data` and `stringData`, and
/// any field whose name says it holds a credential. Applied to a copy; the request itself
/// is untouched.
enum Redaction {
    static let placeholder: Value = "<redacted>"
    private static let secretKeys: Set<String> = [
        "token", "password", "client-key-data", "clientKeyData", "client-certificate-data", "clientCertificateData",
        "access_token", "id_token", "refresh_token",
    ]

    /// `secretPayload` marks a body sent to the `secrets` resource, whose top-level
    /// `data`/`stringData` are secret even in a patch without `kind`.
    static func redact(_ value: Value, secretPayload: Bool = false) -> Value {
        switch value {
        case var .map(map):
            let isSecret = secretPayload || map["kind"]?.stringValue == "Secret"
            for (key, child) in map {
                if secretKeys.contains(key) || (isSecret && (key == "data" || key == "stringData")) {
                    map[key] = child.isNull ? child : redactedLeaves(child)
                } else {
                    map[key] = redact(child)
                }
            }
            return .map(map)
        case let .list(items):
            return .list(items.map { redact($0, secretPayload: secretPayload) })
        default:
            return value
        }
    }

    /// Keeps the keys of a Secret's data (useful when debugging) and hides every value.
    private static func redactedLeaves(_ value: Value) -> Value {
        if case var .map(map) = value {
            for key in map.keys { map[key] = placeholder }
            return .map(map)
        }
        return placeholder
    }

    static func headerValue(name: String, value: String) -> String {
        let lowered = name.lowercased()
        return lowered == "authorization" || lowered == "cookie" || lowered.contains("token") ? "<redacted>" : value
    }
}
