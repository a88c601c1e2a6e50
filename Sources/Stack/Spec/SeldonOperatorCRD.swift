import Unstructured

/// The CustomResourceDefinition of SeldonOperator, built from the same `Schema` values the
/// decoder uses. `seldon-operator crd` prints it and the operator chart ships the printed
/// bytes (a test keeps the two identical).
public enum SeldonOperatorCRD {
    public static let plural = "seldonoperators"
    public static var name: String { "\(plural).\(SeldonOperatorResource.group)" }

    public static var manifest: Value {
        [
            "apiVersion": "apiextensions.k8s.io/v1",
            "kind": "CustomResourceDefinition",
            "metadata": [
                "name": .string(name),
                // No instance label: the definition is cluster-wide, shared by every install.
                "labels": [
                    "app.kubernetes.io/name": "seldon-operator",
                    "app.kubernetes.io/component": "crd",
                    "app.kubernetes.io/part-of": "seldon",
                    "app.kubernetes.io/managed-by": "seldon-operator",
                ],
            ],
            "spec": [
                "group": .string(SeldonOperatorResource.group),
                "names": [
                    "kind": .string(SeldonOperatorResource.kind),
                    "listKind": .string("\(SeldonOperatorResource.kind)List"),
                    "plural": .string(plural),
                    "singular": "seldonoperator",
                    "shortNames": ["sop"],
                    "categories": ["seldon"],
                ],
                "scope": "Namespaced",
                "versions": [version],
            ],
        ]
    }

    private static var version: Value {
        [
            "name": .string(SeldonOperatorResource.version),
            "served": true,
            "storage": true,
            "subresources": ["status": [:]],
            "additionalPrinterColumns": [
                ["name": "Ready", "type": "string", "jsonPath": ".status.conditions[?(@.type==\"Ready\")].status",
                 "description": "Whether every enabled component is ready."],
                ["name": "Components", "type": "string", "jsonPath": ".status.readyComponents",
                 "description": "Ready components over enabled components."],
                ["name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp"],
            ],
            "schema": ["openAPIV3Schema": rootSchema.openAPI],
        ]
    }

    /// The whole object; apiVersion, kind and metadata are the API server's to check.
    static var rootSchema: Schema {
        Schema(.object([
            .init("apiVersion", .string("Versioned schema of this object.")),
            .init("kind", .string("The REST resource this object represents.")),
            .init("metadata", Schema(.object([], required: []), "Standard object metadata.")),
            .init("spec", SeldonOperatorSpec.schema),
            .init("status", SeldonOperatorStatus.schema),
        ], required: []), "A SeldonOperator installs and keeps healthy one Seldon stack in its namespace.")
    }
}
