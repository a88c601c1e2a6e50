import Unstructured

/// A SeldonOperator object: where it lives and what it asks for.
public struct SeldonOperatorResource: Equatable, Sendable {
    public static let group = "operator.seldon.io"
    public static let version = "v1alpha1"
    public static let apiVersion = "\(group)/\(version)"
    public static let kind = "SeldonOperator"
    /// Where the stack goes when the manifest names no namespace (the namespace Seldon's
    /// documentation installs into).
    public static let defaultNamespace = "seldon-system"

    public var name: String
    /// The namespace of the object, which is also where the stack's namespaced objects go.
    public var namespace: String
    public var generation: Int?
    public var spec: SeldonOperatorSpec

    public init(name: String, namespace: String = defaultNamespace, generation: Int? = nil, spec: SeldonOperatorSpec) {
        self.name = name
        self.namespace = namespace
        self.generation = generation
        self.spec = spec
    }

    /// Decodes a manifest strictly: unknown fields, wrong types and the cross-field rules of
    /// `SpecValidation` all become issues, every one reported at once.
    public init(decoding document: Value, source: String = "<input>") throws(SpecErrors) {
        var issues: [SpecIssue] = []
        guard case let .map(fields) = document else {
            throw SpecErrors(source: source, issues: [SpecIssue(FieldPath("<document>"), "expected a map, got \(document.kindName)")])
        }
        Self.expect(fields["apiVersion"], equal: Self.apiVersion, at: "apiVersion", issues: &issues)
        Self.expect(fields["kind"], equal: Self.kind, at: "kind", issues: &issues)
        for key in fields.keys where !["apiVersion", "kind", "metadata", "spec", "status"].contains(key) {
            issues.append(SpecIssue(FieldPath(key), "unknown field", fix: "remove it; known fields here: apiVersion, kind, metadata, spec, status"))
        }
        let metadata = document["metadata"]
        let name = metadata["name"].stringValue ?? ""
        if !DNSName.isSubdomain(name) {
            issues.append(SpecIssue(FieldPath("metadata.name"), name.isEmpty ? "required field is missing" : "\"\(name)\" is not a DNS-1123 subdomain",
                                    fix: "use lowercase letters, digits, '-' and '.', e.g. seldon"))
        }
        let namespace = metadata["namespace"].stringValue ?? Self.defaultNamespace
        if !DNSName.isLabel(namespace) {
            issues.append(SpecIssue(FieldPath("metadata.namespace"), "\"\(namespace)\" is not a DNS-1123 label"))
        }
        let decoded = SeldonOperatorSpec.schema.decode(fields["spec"] ?? .map([:]), at: FieldPath("spec"), issues: &issues)
        let spec = SeldonOperatorSpec(decoded: decoded)
        if issues.isEmpty { issues = SpecValidation.issues(in: spec) }
        guard issues.isEmpty else { throw SpecErrors(source: source, issues: issues) }
        self.init(name: name, namespace: namespace, generation: metadata["generation"].intValue, spec: spec)
    }

    private static func expect(_ value: Value?, equal expected: String, at field: String, issues: inout [SpecIssue]) {
        guard value?.stringValue != expected else { return }
        let found = value.map { $0.stringValue.map { "\"\($0)\"" } ?? $0.kindName } ?? "nothing"
        issues.append(SpecIssue(FieldPath(field), "expected \"\(expected)\", got \(found)"))
    }
}
