import Unstructured

/// Decides which subcharts take part in a render and what values they share with their
/// parent, as Helm's `ProcessDependenciesWithMerge` does before values are coalesced:
///
///   1. Each `dependencies` entry picks the subchart of that name whose version satisfies
///      the entry's range; an alias renames it (so one chart can appear twice).
///      Subcharts in `charts/` that no entry names are kept as they are.
///   2. Tags (`tags.NAME` in the top-level values) and then conditions (a dotted path
///      per entry, the first boolean found wins) disable entries; disabled subcharts are
///      dropped, recursively.
///   3. `import-values` copy a child's values into the parent: `{child, parent}` copies
///      `child`'s table to `parent`; a plain string `x` copies `exports.x` to the top.
///      Imported values rank below the parent's own.
public struct DependencyProcessor {
    private let warn: Coalescing.Warn

    public init(warn: @escaping Coalescing.Warn = { _ in }) {
        self.warn = warn
    }

    /// Checks that every declared dependency is present in `charts/`.
    public static func checkPresent(_ chart: Chart) throws(ChartError) {
        let present = Set(chart.dependencies.map(\.name))
        let missing = chart.metadata.dependencies.map(\.name).filter { !present.contains($0) }
        if !missing.isEmpty {
            throw ChartError("found in Chart.yaml, but missing in charts/ directory: \(missing.joined(separator: ", "))")
        }
    }

    public func process(_ chart: Chart, values: Value.Map) throws(ValuesError) -> Chart {
        var chart = chart
        try enable(&chart, values: values, path: "")
        try importValues(&chart)
        chart.assignPaths(parent: nil)
        return chart
    }

    private func enable(_ chart: inout Chart, values: Value.Map, path: String) throws(ValuesError) {
        guard !chart.metadata.dependencies.isEmpty else { return }
        var selected: [Chart] = chart.dependencies.filter { existing in
            !chart.metadata.dependencies.contains {
                $0.name == existing.name && VersionRange.isCompatible(existing.metadata.version, with: $0.version)
            }
        }
        for index in chart.metadata.dependencies.indices {
            let request = chart.metadata.dependencies[index]
            if var match = chart.dependencies.first(where: {
                $0.name == request.name && VersionRange.isCompatible($0.metadata.version, with: request.version)
            }) {
                if !request.alias.isEmpty { match.metadata.name = request.alias }
                selected.append(match)
            }
            if !request.alias.isEmpty { chart.metadata.dependencies[index].name = request.alias }
            chart.metadata.dependencies[index].enabled = true
        }
        chart.dependencies = selected

        let coalesced = try Coalescing(warn: warn).values(of: chart, with: values)
        applyTags(&chart.metadata.dependencies, values: coalesced)
        applyConditions(&chart.metadata.dependencies, values: coalesced, path: path)

        let disabled = Set(chart.metadata.dependencies.filter { !$0.enabled }.map(\.name))
        chart.dependencies.removeAll { disabled.contains($0.name) }
        chart.metadata.dependencies.removeAll { disabled.contains($0.name) }
        for index in chart.dependencies.indices {
            let subPath = path + chart.dependencies[index].name + "."
            try enable(&chart.dependencies[index], values: coalesced, path: subPath)
        }
    }

    private func applyTags(_ dependencies: inout [ChartDependency], values: Value.Map) {
        guard let tags = values.table(at: "tags") else { return }
        for index in dependencies.indices {
            var anyTrue = false, anyFalse = false
            for tag in dependencies[index].tags {
                guard let value = tags[tag] else { continue }
                if let flag = value.boolValue {
                    if flag { anyTrue = true } else { anyFalse = true }
                } else {
                    warn("Warning: Tag '\(tag)' for chart \(dependencies[index].name) returned non-bool value")
                }
            }
            dependencies[index].enabled = anyTrue || !anyFalse
        }
    }

    private func applyConditions(_ dependencies: inout [ChartDependency], values: Value.Map, path: String) {
        for index in dependencies.indices {
            let conditions = dependencies[index].condition.trimmingSpaces.split(separator: ",")
            for condition in conditions where !condition.isEmpty {
                guard let value = values.pathValue(path + condition) else { continue }
                if let flag = value.boolValue {
                    dependencies[index].enabled = flag
                    break
                }
                warn("Warning: Condition path '\(condition)' for chart \(dependencies[index].name) returned non-bool value")
            }
        }
    }

    private func importValues(_ chart: inout Chart) throws(ValuesError) {
        for index in chart.dependencies.indices { try importValues(&chart.dependencies[index]) }
        guard !chart.metadata.dependencies.isEmpty else { return }
        let merging = Coalescing(merge: true, warn: warn)
        let values = try merging.values(of: chart, with: [:])
        var imported = Value.Map()
        for dependency in chart.metadata.dependencies {
            for request in dependency.importValues {
                let child: String, parent: String
                switch request {
                case let .string(name):
                    child = "exports." + name
                    parent = "."
                case let .map(map):
                    child = map["child"]?.stringValue ?? ""
                    parent = map["parent"]?.stringValue ?? ""
                default:
                    warn("Warning: ImportValues entry of chart \(dependency.name) is neither a string nor a map")
                    continue
                }
                guard let table = values.table(at: dependency.name + "." + child) else {
                    warn("Warning: ImportValues missing table from chart \(dependency.name): \(child)")
                    continue
                }
                imported = merging.tables(imported, Self.nest(table, under: parent))
            }
        }
        chart.values = merging.tables(values, imported)
    }

    /// `table` placed at dotted `path` (`.` is the top).
    static func nest(_ table: Value.Map, under path: String) -> Value.Map {
        if path == "." { return table }
        var result = table
        for component in path.split(separator: ".", omittingEmptySubsequences: false).reversed() {
            result = [String(component): .map(result)]
        }
        return result
    }
}

extension StringProtocol {
    var trimmingSpaces: SubSequence {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else { return self[endIndex...] }
        return self[start...end]
    }
}
