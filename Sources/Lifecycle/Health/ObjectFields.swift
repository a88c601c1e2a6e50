import FoundationEssentials
import Unstructured

/// Typed reads of the fields health rules look at, tolerant of how a decoder
/// represents numbers (JSON integers may arrive as `int` or `float`).
extension Value {
    /// A whole number, whether stored as an integer or as a float without a fraction.
    var count: Int? {
        switch self {
        case let .int(value): value
        case let .float(value) where value.rounded() == value && abs(value) < 1e15: Int(value)
        default: nil
        }
    }

    /// The condition of `type` in `status.conditions`, if reported.
    func condition(_ type: String) -> Condition? {
        self["status"]["conditions"].listValue?
            .first { $0["type"].stringValue == type }
            .map(Condition.init)
    }

    /// Whether the object carries any condition at all.
    var hasConditions: Bool { !(self["status"]["conditions"].listValue ?? []).isEmpty }

    var namespace: String? { self["metadata"]["namespace"].stringValue }
    var name: String { self["metadata"]["name"].stringValue ?? "" }
    var isTerminating: Bool { !self["metadata"]["deletionTimestamp"].isNull }
}

/// One entry of `status.conditions`, following the Kubernetes API conventions
/// (`type`, `status` "True"/"False"/"Unknown", CamelCase `reason`, free `message`).
struct Condition {
    var status: String
    var reason: String
    var message: String
    var lastTransitionTime: Date?

    init(_ value: Value) {
        status = value["status"].stringValue ?? "Unknown"
        reason = value["reason"].stringValue ?? ""
        message = value["message"].stringValue ?? ""
        lastTransitionTime = value["lastTransitionTime"].stringValue.flatMap(Timestamp.parse)
    }

    var isTrue: Bool { status == "True" }
    var isFalse: Bool { status == "False" }

    /// `reason: message`, or whichever of them is present.
    var summary: String {
        [reason, message].filter { !$0.isEmpty }.joined(separator: ": ")
    }
}

/// RFC 3339 timestamps as the API server writes them: `Time` in whole seconds,
/// `MicroTime` with six fractional digits.
enum Timestamp {
    static func parse(_ text: String) -> Date? {
        (try? Date.ISO8601FormatStyle().parse(text))
            ?? (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text))
    }

    /// `MicroTime` as Leases carry it: `2026-11-21T21:38:23.123456Z`.
    static func microTime(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        let whole = Date(timeIntervalSince1970: seconds).formatted(Date.ISO8601FormatStyle())
        let micros = Int(((date.timeIntervalSince1970 - seconds) * 1_000_000).rounded(.down))
        let fraction = String(micros).leftPadded(to: 6)
        return whole.dropLast() + ".\(fraction)Z"
    }

    /// `Time`, in whole seconds: `2026-11-21T21:38:23Z`.
    static func time(_ date: Date) -> String {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down)).formatted(Date.ISO8601FormatStyle())
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
