import Unstructured

/// An error answered as a `Status` object, shaped exactly like kube-apiserver's
/// (see kube-reference/responses/err-*.json): the HTTP code equals `code`.
struct APIError: Error, Sendable, CustomStringConvertible {
    public var code: Int
    public var reason: String
    public var message: String
    public var details: Value?
    /// A few errors (unknown group paths) are plain text, not a Status.
    public var plainText = false
    /// Extra headers, such as Retry-After on 429.
    public var headers: [(String, String)] = []

    public var description: String { message }

    public var status: Value {
        var body: Value = [
            "kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Failure",
            "message": .string(message), "reason": .string(reason),
        ]
        if let details { body["details"] = details }
        body["code"] = .int(code)
        return body
    }

    static func details(name: String? = nil, group: String = "", kind: String, uid: String? = nil,
                        causes: [Value]? = nil) -> Value {
        var details: Value = [:]
        if let name, !name.isEmpty { details["name"] = .string(name) }
        if !group.isEmpty { details["group"] = .string(group) }
        details["kind"] = .string(kind)
        if let uid { details["uid"] = .string(uid) }
        if let causes { details["causes"] = .list(causes) }
        return details
    }

    static func notFound(_ type: ResourceType, name: String) -> APIError {
        APIError(code: 404, reason: "NotFound", message: "\(type.qualifiedResource) \"\(name)\" not found",
                 details: details(name: name, group: type.group, kind: type.resource))
    }

    static func namespaceNotFound(_ namespace: String) -> APIError {
        APIError(code: 404, reason: "NotFound", message: "namespaces \"\(namespace)\" not found",
                 details: details(name: namespace, kind: "namespaces"))
    }

    static func alreadyExists(_ type: ResourceType, name: String) -> APIError {
        APIError(code: 409, reason: "AlreadyExists", message: "\(type.qualifiedResource) \"\(name)\" already exists",
                 details: details(name: name, group: type.group, kind: type.resource))
    }

    static func conflict(_ type: ResourceType, name: String, why: String) -> APIError {
        APIError(code: 409, reason: "Conflict",
                 message: "Operation cannot be fulfilled on \(type.qualifiedResource) \"\(name)\": \(why)",
                 details: details(name: name, group: type.group, kind: type.resource))
    }

    static func staleResourceVersion(_ type: ResourceType, name: String) -> APIError {
        conflict(type, name: name,
                 why: "the object has been modified; please apply your changes to the latest version and try again")
    }

    static func badRequest(_ message: String) -> APIError {
        APIError(code: 400, reason: "BadRequest", message: message)
    }

    static let resourceNotFound = APIError(code: 404, reason: "NotFound",
        message: "the server could not find the requested resource", details: [:])
    static let pageNotFound = APIError(code: 404, reason: "NotFound", message: "404 page not found\n", plainText: true)
    static let methodNotAllowed = APIError(code: 405, reason: "MethodNotAllowed",
        message: "the server does not allow this method on the requested resource", details: [:])
    static let unsupportedMediaType = APIError(code: 415, reason: "UnsupportedMediaType",
        message: "415: Unsupported Media Type", details: [:])
    static let unauthorized = APIError(code: 401, reason: "Unauthorized", message: "Unauthorized")

    static func forbiddenAnonymous(verb: String, path: String) -> APIError {
        APIError(code: 403, reason: "Forbidden",
                 message: "forbidden: User \"system:anonymous\" cannot \(verb) path \"\(path)\"",
                 details: [:])
    }

    /// 422 Invalid with one cause per field, as the field validators report them.
    static func invalid(_ type: ResourceType, name: String, causes: [FieldCause]) -> APIError {
        // Identical entries print once, as apimachinery's aggregate error does.
        var summary: [String] = []
        for cause in causes where !summary.contains("\(cause.field): \(cause.message)") {
            summary.append("\(cause.field): \(cause.message)")
        }
        let joined = summary.count == 1 ? summary[0] : "[\(summary.joined(separator: ", "))]"
        return APIError(code: 422, reason: "Invalid",
                        message: "\(type.qualifiedKind) \"\(name)\" is invalid: \(joined)",
                        details: details(name: name, group: type.group, kind: type.kind,
                                         causes: causes.map(\.value)))
    }
}

/// One `details.causes[]` entry of a 422.
public struct FieldCause: Sendable, Equatable {
    public var reason: String
    public var message: String
    public var field: String

    var value: Value { ["reason": .string(reason), "message": .string(message), "field": .string(field)] }

    static func required(_ field: String, _ detail: String = "") -> FieldCause {
        FieldCause(reason: "FieldValueRequired", message: detail.isEmpty ? "Required value" : "Required value: \(detail)",
                   field: field)
    }
    static func invalid(_ field: String, value: String, _ detail: String) -> FieldCause {
        FieldCause(reason: "FieldValueInvalid", message: "Invalid value: \(value): \(detail)", field: field)
    }
    static func forbidden(_ field: String, _ detail: String) -> FieldCause {
        FieldCause(reason: "FieldValueForbidden", message: "Forbidden: \(detail)", field: field)
    }
}
