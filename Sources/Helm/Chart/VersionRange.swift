import GoTemplate
import Sprig
import Unstructured

/// Whether a version satisfies a semver range (Helm's `IsCompatibleRange`), answered by
/// the Sprig module's `semverCompare`, so that chart dependency ranges, `kubeVersion`
/// and templates all share one reading of Masterminds semver. A malformed range or
/// version satisfies nothing.
enum VersionRange {
    private static let semverCompare = Sprig.library(entropy: StandInEntropy(), clock: FixedClock())["semverCompare"]

    static func isCompatible(_ version: String, with range: String) -> Bool {
        guard let semverCompare else { return false }
        let result = try? semverCompare.body([.string(range), .string(version)], NoTemplates())
        return result == .bool(true)
    }

    /// `semverCompare` renders no templates; this stands in for the execution it never uses.
    private struct NoTemplates: TemplateExecution {
        func execute(templateNamed name: String, data: Value) throws -> String {
            throw FunctionError("no templates outside a render")
        }
        func execute(text: String, data: Value) throws -> String {
            throw FunctionError("no templates outside a render")
        }
    }
}
