import Unstructured

/// A `metav1.LabelSelector` (`matchLabels` and `matchExpressions`), used to find the
/// Pods a workload owns without reading its ReplicaSets.
struct LabelSelector {
    private let requirements: [(Value.Map) -> Bool]

    /// nil when `selector` is missing or malformed: a rule then has no Pods to look at,
    /// rather than looking at every Pod in the namespace.
    init?(_ selector: Value) {
        guard case .map = selector else { return nil }
        var requirements: [(Value.Map) -> Bool] = []
        for (key, value) in selector["matchLabels"].mapValue ?? [:] {
            guard let expected = value.stringValue else { return nil }
            requirements.append { $0[key]?.stringValue == expected }
        }
        for expression in selector["matchExpressions"].listValue ?? [] {
            guard let key = expression["key"].stringValue, let op = expression["operator"].stringValue else {
                return nil
            }
            let values = Set((expression["values"].listValue ?? []).compactMap(\.stringValue))
            switch op {
            case "In": requirements.append { $0[key]?.stringValue.map(values.contains) ?? false }
            case "NotIn": requirements.append { !($0[key]?.stringValue.map(values.contains) ?? false) }
            case "Exists": requirements.append { $0[key] != nil }
            case "DoesNotExist": requirements.append { $0[key] == nil }
            default: return nil
            }
        }
        // An empty selector matches everything in the API, but no workload may have one
        // (validation refuses it), so reading it as "no Pods" is the safe choice.
        guard !requirements.isEmpty else { return nil }
        self.requirements = requirements
    }

    func matches(_ labels: Value) -> Bool {
        let map = labels.mapValue ?? [:]
        return requirements.allSatisfy { $0(map) }
    }
}
