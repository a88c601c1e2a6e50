import GoTemplate
import Testing
import Unstructured

/// A template and what Go's text/template printed for it (output or error text), recorded by
/// Reference/generate.py with the data of `Fixture.data` and the functions of `Fixture.functions`.
struct ReferenceCase: Sendable, CustomTestStringConvertible {
    enum Expected: Sendable, Equatable {
        case output(String)
        case error(String)
    }

    let template: String
    let expected: Expected

    init(_ template: String, output: String) {
        self.template = template
        expected = .output(output)
    }

    init(_ template: String, error: String) {
        self.template = template
        expected = .error(error)
    }

    var testDescription: String { template }
}

/// The data and functions gotemplate-ref gives templates (see ../shared/tools/gotemplate-ref),
/// so expectations recorded from Go hold for our engine unchanged.
enum Fixture {
    /// Reference/values.yaml, read as Helm reads values: every number a float.
    static let values: Value = [
        "s": "hello",
        "f": 1.5,
        "i": 3.0,
        "big": 1_000_000.0,
        "neg": -2.0,
        "l": [1.0, "a", nil],
        "m": ["k": "v", "a": ["x", "w"], "nested": ["deep": true]],
        "z": nil,
        "t": true,
        "e": "",
        "el": [],
        "em": [:],
        "html": "<b>'x' & \"y\"</b>",
    ]

    static let data: Value = [
        "Values": values,
        "Release": [
            "Name": "release-name", "Namespace": "default", "Service": "Helm", "IsInstall": true,
            "IsUpgrade": false, "Revision": 1,
        ],
        "Chart": ["Name": "chart", "Version": "0.1.0", "AppVersion": "1.0.0"],
        "Capabilities": [
            "KubeVersion": ["Version": "v1.30.0", "Major": "1", "Minor": "30", "GitVersion": "v1.30.0"],
            "APIVersions": .object(APIVersions()),
        ],
    ]

    /// gotemplate-ref's `include` and `tpl`, and the sprig functions the cases use.
    static let functions: FunctionLibrary = [
        "include": TemplateFunction(arity: 2) { arguments, execution in
            .string(try execution.execute(templateNamed: arguments[0].stringValue ?? "", data: arguments[1]))
        },
        "tpl": TemplateFunction(arity: 2) { arguments, execution in
            .string(try execution.execute(text: arguments[0].stringValue ?? "", data: arguments[1]))
        },
        "fail": TemplateFunction(arity: 1) { arguments, _ in throw FunctionError(arguments[0].stringValue ?? "") },
        "list": TemplateFunction(atLeast: 0) { arguments, _ in .list(arguments) },
        "dict": TemplateFunction(atLeast: 0) { arguments, _ in
            var map = Value.Map()
            for index in stride(from: 0, to: arguments.count - 1, by: 2) {
                map[arguments[index].stringValue ?? ""] = arguments[index + 1]
            }
            return .map(map)
        },
        "set": mutatingSet,
    ]

    /// sprig's `set`, which changes the map it is given: declared through
    /// `mutatedArgument` so the executor stores the result where the map was read from.
    private static let mutatingSet: TemplateFunction = {
        var set = TemplateFunction(arity: 3) { arguments, _ in
            guard case var .map(map) = arguments[0] else { throw FunctionError("assignment to entry in nil map") }
            map[arguments[1].stringValue ?? ""] = arguments[2]
            return .map(map)
        }
        set.mutatedArgument = 0
        return set
    }()

    /// `.Capabilities.APIVersions`: a list with a `Has` method, as in Helm.
    final class APIVersions: HostObject {
        static let versions = [
            "v1", "apps/v1", "batch/v1", "autoscaling/v1", "autoscaling/v2", "policy/v1",
            "rbac.authorization.k8s.io/v1", "networking.k8s.io/v1", "storage.k8s.io/v1",
            "apiextensions.k8s.io/v1", "admissionregistration.k8s.io/v1", "coordination.k8s.io/v1",
            "events.k8s.io/v1", "discovery.k8s.io/v1", "scheduling.k8s.io/v1", "node.k8s.io/v1",
            "certificates.k8s.io/v1", "apps/v1/Deployment", "apps/v1/StatefulSet", "apps/v1/DaemonSet",
            "batch/v1/Job", "batch/v1/CronJob", "policy/v1/PodDisruptionBudget", "networking.k8s.io/v1/Ingress",
        ]
        var typeName: String { "main.apiVersions" }
        func field(_ name: String) -> Value? { nil }
        func method(_ name: String) -> HostMethod? {
            guard name == "Has" else { return nil }
            return { arguments in
                guard arguments.count == 1 else {
                    throw FunctionError("wrong number of args for Has: want 1 got \(arguments.count)")
                }
                return .bool(Self.versions.contains(arguments[0].stringValue ?? ""))
            }
        }
        var representation: Value { .list(Self.versions.map { .string($0) }) }
    }
}

/// Parses `text` as "t.tpl" (the name the reference cases were recorded under) and runs it.
func render(
    _ text: String, data: Value = Fixture.data, functions: FunctionLibrary = Fixture.functions,
    options: ExecutionOptions = ExecutionOptions(missingValueText: "")
) throws(TemplateError) -> String {
    var set = TemplateSet(functions: functions, options: options)
    try set.parse(name: "t.tpl", text: text)
    return try set.execute("t.tpl", data: data)
}

/// The error `text` fails with, or nil when it renders.
func renderError(
    _ text: String, data: Value = Fixture.data, options: ExecutionOptions = ExecutionOptions(missingValueText: "")
) -> TemplateError? {
    do {
        _ = try render(text, data: data, options: options)
        return nil
    } catch {
        return error
    }
}
