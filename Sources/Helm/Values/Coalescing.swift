import Unstructured

/// Combines a chart's default values with the values a user supplied, as Helm's
/// `chartutil` does. The rules:
///
///   - Values of a higher level (the user over the chart, a parent chart over its
///     subcharts) always override values of a lower level.
///   - Scalars and lists are replaced; maps are merged key by key.
///   - When *coalescing*, a null in a higher level removes the key; when *merging*
///     (`merge: true`, used while importing values between charts), nulls are kept.
///   - `global` flows down: each subchart sees its parent's globals merged over its own.
///   - A subchart's values live under its name (or alias) in its parent's values.
///
/// Conflicts Helm tolerates (a map over a scalar, say) keep the higher level's value and
/// are reported through `warn`, which the caller provides.
public struct Coalescing {
    public typealias Warn = (String) -> Void
    public static let globalKey = "global"

    private let merge: Bool
    private let warn: Warn

    public init(merge: Bool = false, warn: @escaping Warn = { _ in }) {
        self.merge = merge
        self.warn = warn
    }

    /// The values of `chart` and its subcharts with `values` layered on top
    /// (Helm's `CoalesceValues`, or `MergeValues` when merging).
    public func values(of chart: Chart, with values: Value.Map) throws(ValuesError) -> Value.Map {
        var destination = values
        try coalesce(chart, into: &destination, prefix: "")
        return destination
    }

    private func coalesce(_ chart: Chart, into values: inout Value.Map, prefix: String) throws(ValuesError) {
        coalesceOwnValues(chart, into: &values, prefix: prefix)
        try coalesceDependencies(chart, into: &values, prefix: prefix)
    }

    private func coalesceOwnValues(_ chart: Chart, into values: inout Value.Map, prefix: String) {
        let chartPrefix = join(prefix, chart.name)
        for (key, chartValue) in chart.values {
            guard let given = values[key] else {
                values[key] = chartValue
                continue
            }
            if given.isNull && !merge {
                values.removeValue(forKey: key)
            } else if case let .map(destination) = given {
                if case let .map(source) = chartValue {
                    // A subchart's section always merges, so that its nulls survive until
                    // the subchart itself is coalesced.
                    let isSubchart = chart.dependencies.contains { $0.name == key }
                    let tables = Coalescing(merge: merge || isSubchart, warn: warn)
                    values[key] = .map(tables.tables(destination, source, prefix: join(chartPrefix, key)))
                } else if !chartValue.isNull {
                    warn("warning: skipped value for \(chartPrefix).\(key): Not a table.")
                }
            }
        }
    }

    private func coalesceDependencies(_ chart: Chart, into values: inout Value.Map, prefix: String) throws(ValuesError) {
        for subchart in chart.dependencies {
            let existing = values[subchart.name] ?? .map([:])
            guard case var .map(section) = existing else {
                throw ValuesError("type mismatch on \(subchart.name): \(existing.kindName)")
            }
            let subPrefix = join(prefix, chart.name)
            coalesceGlobals(into: &section, from: values, prefix: subPrefix)
            try coalesce(subchart, into: &section, prefix: subPrefix)
            values[subchart.name] = .map(section)
        }
    }

    /// Copies the parent's `global` into a subchart's section; the parent's entries win,
    /// maps are merged.
    private func coalesceGlobals(into destination: inout Value.Map, from source: Value.Map, prefix: String) {
        var destinationGlobals = Value.Map()
        if let existing = destination[Self.globalKey] {
            guard case let .map(map) = existing else {
                warn("warning: skipping globals because destination \(Self.globalKey) is not a table.")
                return
            }
            destinationGlobals = map
        }
        var sourceGlobals = Value.Map()
        if let existing = source[Self.globalKey] {
            guard case let .map(map) = existing else {
                warn("warning: skipping globals because source \(Self.globalKey) is not a table.")
                return
            }
            sourceGlobals = map
        }
        for (key, value) in sourceGlobals {
            if case let .map(parentTable) = value {
                switch destinationGlobals[key] {
                case nil:
                    destinationGlobals[key] = value
                case let .map(childTable)?:
                    let tables = Coalescing(merge: true, warn: warn)
                    destinationGlobals[key] = .map(tables.tables(parentTable, childTable, prefix: join(prefix, key)))
                default:
                    warn("Conflict: cannot merge map onto non-map for \"\(key)\". Skipping.")
                }
            } else if case .map? = destinationGlobals[key] {
                warn("key \(key) is table. Skipping")
            } else {
                destinationGlobals[key] = value
            }
        }
        destination[Self.globalKey] = .map(destinationGlobals)
    }

    /// `source` merged under `destination`, which wins (Helm's `CoalesceTables`, or
    /// `MergeTables` when merging).
    public func tables(_ destination: Value.Map, _ source: Value.Map, prefix: String = "") -> Value.Map {
        var result = destination
        for (key, value) in source {
            let fullKey = join(prefix, key)
            guard let existing = result[key] else {
                result[key] = value
                continue
            }
            if existing.isNull && !merge {
                result.removeValue(forKey: key)
            } else if case let .map(sourceTable) = value {
                if case let .map(destinationTable) = existing {
                    result[key] = .map(tables(destinationTable, sourceTable, prefix: fullKey))
                } else {
                    warn("warning: cannot overwrite table with non table for \(fullKey) (\(JSON.string(value.plain)))")
                }
            } else if case .map = existing, !value.isNull {
                warn("warning: destination for \(fullKey) is a table. Ignoring non-table value (\(JSON.string(value.plain)))")
            }
        }
        return result
    }

    private func join(_ prefix: String, _ key: String) -> String {
        prefix.isEmpty ? key : "\(prefix).\(key)"
    }
}

extension Value.Map {
    /// The map at dotted `path` (Helm's `Values.Table`), nil when any step is missing
    /// or not a map.
    func table(at path: String) -> Value.Map? {
        var current = self
        for component in path.split(separator: ".", omittingEmptySubsequences: false) {
            guard case let .map(next)? = current[String(component)] else { return nil }
            current = next
        }
        return current
    }

    /// The non-map value at dotted `path` (Helm's `Values.PathValue`).
    func pathValue(_ path: String) -> Value? {
        var components = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard let last = components.popLast() else { return nil }
        let container = components.isEmpty ? self : table(at: components.joined(separator: "."))
        guard let value = container?[last] else { return nil }
        if case .map = value { return nil }
        return value
    }
}
