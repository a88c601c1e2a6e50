import FoundationEssentials
import Unstructured

/// How objects look on the wire. Built-in kinds serialize in Go struct order
/// (`kind, apiVersion, metadata{name, namespace, uid, ...}, spec, status`); custom resources,
/// which the real server keeps as unstructured maps, serialize with sorted keys. A built-in object
/// passes through Go structs, so a field sent as `null` is not stored at all.
enum ObjectShape {
    static let metadataOrder = [
        "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation",
        "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations",
        "ownerReferences", "finalizers", "managedFields",
    ]
    static let topOrder = ["kind", "apiVersion", "metadata"]
    static let tailOrder = ["status"]

    static func canonical(_ object: Value, custom: Bool) -> Value {
        if custom { return sortedKeys(object) }
        guard let map = withoutNulls(object).mapValue else { return object }
        var result = Value.Map()
        for key in topOrder { if let v = map[key] { result[key] = key == "metadata" ? canonicalMetadata(v) : v } }
        for (key, value) in map where !topOrder.contains(key) && !tailOrder.contains(key) { result[key] = value }
        for key in tailOrder { if let v = map[key] { result[key] = v } }
        return .map(result)
    }

    static func canonicalMetadata(_ metadata: Value) -> Value {
        guard let map = metadata.mapValue else { return metadata }
        var result = Value.Map()
        for key in metadataOrder { if let v = map[key] { result[key] = v } }
        for (key, value) in map where !metadataOrder.contains(key) { result[key] = value }
        return .map(result)
    }

    static func withoutNulls(_ value: Value) -> Value {
        switch value {
        case let .map(map):
            var result = Value.Map()
            for (key, item) in map where !item.isNull { result[key] = withoutNulls(item) }
            return .map(result)
        case let .list(items): return .list(items.map(withoutNulls))
        default: return value
        }
    }

    static func sortedKeys(_ value: Value) -> Value {
        switch value {
        case let .map(map):
            var result = Value.Map()
            for key in map.keys.sorted() { result[key] = sortedKeys(map[key] ?? .null) }
            return .map(result)
        case let .list(items): return .list(items.map(sortedKeys))
        default: return value
        }
    }

    /// RFC 3339 in UTC with second precision, as metav1.Time marshals.
    static func timestamp(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
        let secondOfDay = seconds - days * 86400
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        func pad(_ n: Int, _ width: Int = 2) -> String {
            let text = String(n)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month))-\(pad(day))T\(pad(secondOfDay / 3600)):\(pad(secondOfDay % 3600 / 60)):\(pad(secondOfDay % 60))Z"
    }

    static func parseTimestamp(_ text: String) -> Date? {
        let parts = text.split(whereSeparator: { "-T:Z".contains($0) }).compactMap { Int($0) }
        guard parts.count >= 6 else { return nil }
        let days = daysSinceEpoch(year: parts[0], month: parts[1], day: parts[2])
        return Date(timeIntervalSince1970: TimeInterval(days * 86400 + parts[3] * 3600 + parts[4] * 60 + parts[5]))
    }

    /// Howard Hinnant's days-from-civil algorithm and its inverse, so timestamps need no DateFormatter.
    private static func civilDate(daysSinceEpoch z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    private static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// kubectl's short age format: 45s, 3m19s, 2h5m, 4d.
    static func age(since created: Date, now: Date) -> String {
        let seconds = max(0, Int(now.timeIntervalSince(created)))
        if seconds < 120 { return "\(seconds)s" }
        let minutes = seconds / 60
        if minutes < 10 { return seconds % 60 == 0 ? "\(minutes)m" : "\(minutes)m\(seconds % 60)s" }
        if minutes < 180 { return "\(minutes)m" }
        let hours = minutes / 60
        if hours < 8 { return minutes % 60 == 0 ? "\(hours)h" : "\(hours)h\(minutes % 60)m" }
        if hours < 48 { return "\(hours)h" }
        return "\(hours / 24)d"
    }
}

/// Convenience accessors on API objects.
extension Value {
    var name: String { self["metadata"]["name"].stringValue ?? "" }
    var namespace: String { self["metadata"]["namespace"].stringValue ?? "" }
    var uid: String { self["metadata"]["uid"].stringValue ?? "" }
    var labels: [String: String] {
        var result: [String: String] = [:]
        for (key, value) in self["metadata"]["labels"].mapValue ?? [:] { result[key] = value.stringValue ?? "" }
        return result
    }
    var finalizers: [String] { self["metadata"]["finalizers"].listValue?.compactMap(\.stringValue) ?? [] }
    var isDeleting: Bool { !self["metadata"]["deletionTimestamp"].isNull }
    var ownerReferences: [Value] { self["metadata"]["ownerReferences"].listValue ?? [] }
}

extension Value {
    /// Removes a map member (assigning `nil` through the subscript would store `null`).
    mutating func remove(_ key: String) {
        guard case var .map(map) = self else { return }
        map.removeValue(forKey: key)
        self = .map(map)
    }
}
