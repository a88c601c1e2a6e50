/// YAML in and out of `Value`s.
///
/// Reading resolves scalars as Helm does (go-yaml v2, YAML 1.1; see `YAMLScalar`); the two
/// writers serve different readers: `helmString` is byte-identical to Helm's `toYaml`, and
/// `string` keeps insertion order for manifests and kubeconfigs people read.
public enum YAML {
    /// The first document of `text` (`.null` when there is none), as go-yaml's `Unmarshal`
    /// reads it: later documents are not read.
    public static func parse(
        _ text: String, source: String = "<input>", numbers: NumberStyle = .exact
    ) throws(YAMLError) -> Value {
        try YAMLReader.documents(text, source: source, numbers: numbers, firstOnly: true).first ?? .null
    }

    /// Every document of a multi-document stream, in order; an empty document is `.null`.
    public static func parseDocuments(
        _ text: String, source: String = "<input>", numbers: NumberStyle = .exact
    ) throws(YAMLError) -> [Value] {
        try YAMLReader.documents(text, source: source, numbers: numbers, firstOnly: false)
    }
}

extension YAML {
    /// Exactly what sigs.k8s.io/yaml's `Marshal` prints for `value`, which is Helm's `toYaml`
    /// before it trims the final newline: sorted keys, go-yaml v2's quoting and folding.
    /// Empty when `value` holds a NaN or infinity, as `toYaml` prints nothing when `Marshal`
    /// fails. See `YAMLEmitter` and `SigsYAML` for the rules.
    public static func helmString(_ value: Value) -> String {
        YAMLEmitter.document(value, flavor: .helm)
    }

    /// Block YAML with keys in insertion order, for manifests and kubeconfigs people read;
    /// `parse` reads it back to the same value (host objects become their representation).
    /// Quoting and layout are go-yaml's, as in `helmString`; integers and floats stay
    /// distinct (`1` and `1.0`), and NaN and infinities are written `.nan`, `.inf`, `-.inf`.
    public static func string(_ value: Value) -> String {
        YAMLEmitter.document(value, flavor: .ordered)
    }
}
