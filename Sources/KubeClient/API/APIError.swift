import Unstructured

/// The API server refused a request and said why in a `Status` object. The server's
/// message is kept verbatim; `reason` sorts the refusal into the cases a caller acts on.
public struct APIError: Error, CustomStringConvertible, Sendable {
    /// What kind of refusal this is; each case says what a caller should do about it.
    public enum Reason: Sendable, Equatable {
        /// 404: the object (or its namespace, or its type) does not exist.
        case notFound
        /// 409 on create: an object of that name exists.
        case alreadyExists
        /// 409: the object changed since it was read (stale resourceVersion, failed
        /// precondition) or a server-side apply hit another manager's fields. Re-read and retry.
        case conflict
        /// 422: the object is invalid; `causes` lists each field.
        case invalid
        /// 400: the request itself is malformed (bad JSON, strict decoding, bad selector).
        case badRequest
        /// 403: authenticated, but not allowed (RBAC), or anonymous.
        case forbidden
        /// 401: the credential was not accepted.
        case unauthorized
        /// 429: slow down; retried after `retryAfter`.
        case tooManyRequests
        /// 504, or 500 with reason ServerTimeout: the server gave up; safe to retry.
        case serverTimeout
        /// 410: the resourceVersion is too old (compacted). Watches re-list; lists start over.
        case gone
        /// An admission webhook denied the request; `webhook` names it when the message does.
        case webhookDenied(webhook: String?)
        /// 405, 406, 415: the verb or content type is wrong for this resource.
        case unsupported
        /// 500: the server failed; retried a few times, then surfaced.
        case internalError
        /// 503: the server (or an aggregated API) is not available; retried.
        case serviceUnavailable
        /// Anything else, by HTTP status.
        case other(status: Int)
    }

    /// One field-level cause of an Invalid or Conflict status.
    public struct Cause: Sendable, Equatable {
        public var reason: String
        public var message: String
        public var field: String
    }

    public var reason: Reason
    /// The HTTP status code.
    public var code: Int
    /// The server's message, untouched.
    public var message: String
    /// The Status `reason` string (`NotFound`, `Expired`, ...).
    public var statusReason: String
    public var causes: [Cause]
    /// `details.kind` and `details.name`: the object the status is about.
    public var kind: String?
    public var name: String?
    /// How long the server asked us to wait (Retry-After header or `details.retryAfterSeconds`).
    public var retryAfter: Duration?
    /// `METHOD path` of the request, for messages.
    public var request: String

    /// Whether the same request may succeed if sent again unchanged.
    public var isRetriable: Bool {
        switch reason {
        case .tooManyRequests, .serverTimeout, .internalError, .serviceUnavailable: true
        default: false
        }
    }

    public var description: String {
        var text = "\(request): \(code) \(statusReason.isEmpty ? "" : statusReason + ": ")\(message)"
        if !causes.isEmpty {
            text += causes.map { "\n  - \($0.field.isEmpty ? "" : $0.field + ": ")\($0.message)" }.joined()
        }
        return text
    }
}

extension APIError {
    /// Decodes the Status in a failed response; `status` is the object when the body was
    /// one, `.null` when the server sent something else (a plain-text 404 for an unknown
    /// group, an HTML error page from a proxy).
    init(code: Int, status: Value, fallbackMessage: String, retryAfterHeader: String?, request: String) {
        self.code = status["code"].intValue ?? code
        self.request = request
        statusReason = status["reason"].stringValue ?? ""
        message = status["message"].stringValue ?? fallbackMessage
        let details = status["details"]
        kind = details["kind"].stringValue
        name = details["name"].stringValue
        causes = (details["causes"].listValue ?? []).map {
            Cause(reason: $0["reason"].stringValue ?? "", message: $0["message"].stringValue ?? "",
                  field: $0["field"].stringValue ?? "")
        }
        if let header = retryAfterHeader, let seconds = Int(header.trimmingWhitespace()) {
            retryAfter = .seconds(seconds)
        } else if let seconds = details["retryAfterSeconds"].intValue {
            retryAfter = .seconds(seconds)
        }
        reason = Self.classify(code: self.code, statusReason: statusReason, message: message)
    }

    private static func classify(code: Int, statusReason: String, message: String) -> Reason {
        if let range = message.firstRange(of: "admission webhook \""), message.contains("denied the request") {
            let rest = message[range.upperBound...]
            return .webhookDenied(webhook: rest.firstIndex(of: "\"").map { String(rest[..<$0]) })
        }
        switch statusReason {
        case "NotFound": return .notFound
        case "AlreadyExists": return .alreadyExists
        case "Conflict": return .conflict
        case "Invalid": return .invalid
        case "Forbidden": return .forbidden
        case "Unauthorized": return .unauthorized
        case "TooManyRequests": return .tooManyRequests
        case "ServerTimeout", "Timeout": return .serverTimeout
        case "Expired", "Gone": return .gone
        case "BadRequest": return .badRequest
        case "MethodNotAllowed", "NotAcceptable", "UnsupportedMediaType": return .unsupported
        case "ServiceUnavailable": return .serviceUnavailable
        case "InternalError": return .internalError
        default: break
        }
        switch code {
        case 400: return .badRequest
        case 401: return .unauthorized
        case 403: return .forbidden
        case 404: return .notFound
        case 405, 406, 415: return .unsupported
        case 409: return .conflict
        case 410: return .gone
        case 422: return .invalid
        case 429: return .tooManyRequests
        case 500: return .internalError
        case 503: return .serviceUnavailable
        case 504: return .serverTimeout
        default: return .other(status: code)
        }
    }
}

/// A reply that is not what the API promises: not JSON, cut short, or the wrong shape.
/// Never retried blindly; usually a proxy or a broken server in the path.
public struct MalformedResponseError: Error, CustomStringConvertible, Sendable {
    public var request: String
    public var status: Int
    public var message: String
    /// The start of the body, for diagnosis.
    public var excerpt: String

    public var description: String {
        "\(request): unusable response (HTTP \(status)): \(message)\(excerpt.isEmpty ? "" : "; body starts: \(excerpt)")"
    }
}
