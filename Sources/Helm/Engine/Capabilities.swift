import GoTemplate
import Unstructured

/// What templates learn about the cluster through `.Capabilities`. `helm template`
/// talks to no cluster, so these are defaults the user can change with
/// `--kube-version` and `--api-versions`.
public struct Capabilities: Sendable {
    public var kubeVersion: KubeVersion
    /// Group/versions (`apps/v1`) and group/version/kinds (`apps/v1/Deployment`).
    public var apiVersions: [String]
    public var helmVersion: String

    public static let defaultKubeVersion = KubeVersion(major: 1, minor: 30, patch: 0)
    public static let helmVersion = "v3.21.4"

    /// The group/versions client-go's scheme registers, plus the CRD API, as Helm's
    /// `DefaultVersionSet`: no kinds, so `Has "apps/v1/Deployment"` is false by default.
    public static let defaultAPIVersions = [
        "v1", "admissionregistration.k8s.io/v1", "admissionregistration.k8s.io/v1beta1",
        "admissionregistration.k8s.io/v1alpha1", "internal.apiserver.k8s.io/v1alpha1", "apps/v1",
        "apps/v1beta2", "apps/v1beta1", "events.k8s.io/v1", "events.k8s.io/v1beta1",
        "authentication.k8s.io/v1", "authentication.k8s.io/v1beta1", "authentication.k8s.io/v1alpha1",
        "authorization.k8s.io/v1", "authorization.k8s.io/v1beta1", "autoscaling/v1", "autoscaling/v2",
        "autoscaling/v2beta1", "autoscaling/v2beta2", "batch/v1", "batch/v1beta1",
        "certificates.k8s.io/v1", "certificates.k8s.io/v1beta1", "certificates.k8s.io/v1alpha1",
        "networking.k8s.io/v1", "networking.k8s.io/v1beta1", "extensions/v1beta1", "policy/v1",
        "policy/v1beta1", "rbac.authorization.k8s.io/v1", "rbac.authorization.k8s.io/v1beta1",
        "rbac.authorization.k8s.io/v1alpha1", "storage.k8s.io/v1", "storage.k8s.io/v1beta1",
        "storage.k8s.io/v1alpha1", "scheduling.k8s.io/v1", "scheduling.k8s.io/v1beta1",
        "scheduling.k8s.io/v1alpha1", "coordination.k8s.io/v1", "coordination.k8s.io/v1beta1",
        "coordination.k8s.io/v1alpha2", "node.k8s.io/v1", "node.k8s.io/v1beta1", "node.k8s.io/v1alpha1",
        "discovery.k8s.io/v1", "discovery.k8s.io/v1beta1", "flowcontrol.apiserver.k8s.io/v1",
        "flowcontrol.apiserver.k8s.io/v1beta3", "flowcontrol.apiserver.k8s.io/v1beta2",
        "flowcontrol.apiserver.k8s.io/v1beta1", "resource.k8s.io/v1beta1", "resource.k8s.io/v1alpha3",
        "storagemigration.k8s.io/v1alpha1", "apiextensions.k8s.io/v1", "apiextensions.k8s.io/v1beta1",
    ]

    public init(kubeVersion: KubeVersion = Capabilities.defaultKubeVersion, extraAPIVersions: [String] = []) {
        self.kubeVersion = kubeVersion
        self.apiVersions = Self.defaultAPIVersions + extraAPIVersions
        self.helmVersion = Self.helmVersion
    }

    /// The `.Capabilities` object templates see.
    var object: Value {
        [
            "KubeVersion": .object(KubeVersionObject(kubeVersion)),
            "APIVersions": .object(APIVersionsObject(apiVersions)),
            "HelmVersion": [
                "Version": .string(helmVersion), "GitCommit": "", "GitTreeState": "", "GoVersion": "",
            ],
        ]
    }
}

/// A Kubernetes version as `--kube-version` gives it: `1.25`, `v1.31.2`, `v1.30.0-gke.1`.
public struct KubeVersion: Sendable, Equatable, CustomStringConvertible {
    public var major: Int
    public var minor: Int
    public var patch: Int
    public var suffix: String

    public init(major: Int, minor: Int, patch: Int, suffix: String = "") {
        self.major = major
        self.minor = minor
        self.patch = patch
        self.suffix = suffix
    }

    /// Parses a version the way Helm's `ParseKubeVersion` accepts it (a leading `v`, a
    /// missing minor or patch read as 0, a pre-release or build suffix kept).
    public init(parsing text: String) throws(ChartError) {
        var rest = Substring(text)
        if rest.hasPrefix("v") || rest.hasPrefix("V") { rest = rest.dropFirst() }
        let numeric = rest.prefix { $0.isNumber || $0 == "." }
        let parts = numeric.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count), parts.allSatisfy({ !$0.isEmpty }),
            let major = Int(parts[0]), let minor = parts.count > 1 ? Int(parts[1]) : 0,
            let patch = parts.count > 2 ? Int(parts[2]) : 0
        else { throw ChartError("invalid kube version \"\(text)\": Invalid Semantic Version") }
        let suffix = String(rest.dropFirst(numeric.count))
        guard suffix.isEmpty || suffix.hasPrefix("-") || suffix.hasPrefix("+") else {
            throw ChartError("invalid kube version \"\(text)\": Invalid Semantic Version")
        }
        self.init(major: major, minor: minor, patch: patch, suffix: suffix)
    }

    /// `v1.30.0`: how Helm prints the version and compares it with `kubeVersion`.
    public var description: String { "v\(major).\(minor).\(patch)\(suffix)" }
}

/// `.Capabilities.KubeVersion`: prints as its version (Go's `String()` method).
final class KubeVersionObject: HostObject {
    let version: KubeVersion
    init(_ version: KubeVersion) { self.version = version }

    var typeName: String { "chartutil.KubeVersion" }
    var representation: Value { .string(version.description) }

    func field(_ name: String) -> Value? {
        switch name {
        case "Version", "GitVersion": .string(version.description)
        case "Major": .string(String(version.major))
        case "Minor": .string(String(version.minor))
        default: nil
        }
    }

    func method(_ name: String) -> HostMethod? {
        let text = version.description
        guard name == "String" else { return nil }
        return { @Sendable _ in .string(text) }
    }
}

/// `.Capabilities.APIVersions`: a list with a `Has` method.
final class APIVersionsObject: HostObject {
    let versions: [String]
    private let lookup: Set<String>
    init(_ versions: [String]) {
        self.versions = versions
        self.lookup = Set(versions)
    }

    var typeName: String { "chartutil.VersionSet" }
    var representation: Value { .list(versions.map(Value.string)) }
    func field(_ name: String) -> Value? { nil }

    func method(_ name: String) -> HostMethod? {
        guard name == "Has" else { return nil }
        let lookup = lookup
        return { arguments in
            guard arguments.count == 1, case let .string(version) = arguments[0] else {
                throw FunctionError("Has takes one string argument")
            }
            return .bool(lookup.contains(version))
        }
    }
}
