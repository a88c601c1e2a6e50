import Unstructured

/// `.Chart`: the chart's metadata under the Go field names templates use
/// (`.Chart.Name`, `.Chart.AppVersion`), plus `IsRoot`. Absent fields read as Go's zero
/// values (empty strings, empty lists), and an unknown field is an error, as with Helm's
/// struct; serialised (`toYaml .Chart`), it uses the `Chart.yaml` key names.
final class ChartObject: HostObject {
    private let fields: [String: Value]
    let representation: Value

    init(_ metadata: ChartMetadata, isRoot: Bool) {
        let dependencies = Value.list(metadata.dependencies.map { dependency in
            var entry: Value.Map = ["name": .string(dependency.name), "version": .string(dependency.version)]
            if !dependency.repository.isEmpty { entry["repository"] = .string(dependency.repository) }
            if !dependency.condition.isEmpty { entry["condition"] = .string(dependency.condition) }
            if !dependency.tags.isEmpty { entry["tags"] = .list(dependency.tags.map(Value.string)) }
            entry["enabled"] = .bool(dependency.enabled)
            if !dependency.importValues.isEmpty { entry["import-values"] = .list(dependency.importValues) }
            if !dependency.alias.isEmpty { entry["alias"] = .string(dependency.alias) }
            return .map(entry)
        })
        let annotations = Value.map(Value.Map(uniqueKeysWithValues: metadata.annotations.sorted { $0.key < $1.key }.map { ($0.key, Value.string($0.value)) }))
        let strings: [(go: String, yaml: String, value: String)] = [
            ("Name", "name", metadata.name), ("Home", "home", metadata.home), ("Version", "version", metadata.version),
            ("Description", "description", metadata.description), ("Icon", "icon", metadata.icon),
            ("APIVersion", "apiVersion", metadata.apiVersion), ("Condition", "condition", metadata.condition),
            ("Tags", "tags", metadata.tags), ("AppVersion", "appVersion", metadata.appVersion),
            ("KubeVersion", "kubeVersion", metadata.kubeVersion), ("Type", "type", metadata.type),
        ]
        var fields: [String: Value] = [
            "Sources": .list(metadata.sources.map(Value.string)), "Keywords": .list(metadata.keywords.map(Value.string)),
            "Maintainers": .list(metadata.maintainers), "Deprecated": .bool(metadata.deprecated),
            "Annotations": annotations, "Dependencies": dependencies, "IsRoot": .bool(isRoot),
        ]
        var serialized = Value.Map()
        for entry in strings {
            fields[entry.go] = .string(entry.value)
            // `name`, `version` and `apiVersion` are always written; the rest only when set.
            if !entry.value.isEmpty || ["name", "version", "apiVersion"].contains(entry.yaml) {
                serialized[entry.yaml] = .string(entry.value)
            }
        }
        if !metadata.sources.isEmpty { serialized["sources"] = fields["Sources"] }
        if !metadata.keywords.isEmpty { serialized["keywords"] = fields["Keywords"] }
        if !metadata.maintainers.isEmpty { serialized["maintainers"] = fields["Maintainers"] }
        if metadata.deprecated { serialized["deprecated"] = true }
        if !metadata.annotations.isEmpty { serialized["annotations"] = annotations }
        if !metadata.dependencies.isEmpty { serialized["dependencies"] = dependencies }
        self.fields = fields
        self.representation = .map(serialized)
    }

    var typeName: String { "chart.Metadata" }
    func field(_ name: String) -> Value? { fields[name] }
}
