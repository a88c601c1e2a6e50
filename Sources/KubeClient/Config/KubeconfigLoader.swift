import FoundationEssentials
import Unstructured

/// Finds and reads the kubeconfig the way kubectl does: `--kubeconfig` if given (it must
/// exist), else every file of `KUBECONFIG` that exists, merged, else `~/.kube/config`,
/// else, inside a Pod, the service account.
public struct KubeconfigLoader: Sendable {
    public var environment: [String: String]
    public var inCluster: InClusterConfig

    public init(environment: [String: String] = ProcessInfo.processInfo.environment,
                inCluster: InClusterConfig = .init()) {
        self.environment = environment
        self.inCluster = inCluster
    }

    /// The files that would be read, in precedence order.
    public func files(explicit: String?) -> [String] {
        if let explicit { return [explicit] }
        if let list = environment["KUBECONFIG"], !list.isEmpty {
            var seen = Set<String>()
            return list.split(separator: ":").map(String.init).filter { !$0.isEmpty && seen.insert($0).inserted }
        }
        guard let home = environment["HOME"] else { return [] }
        return [home + "/.kube/config"]
    }

    /// Reads and merges the kubeconfig files. A missing `--kubeconfig` is an error; missing
    /// files in `KUBECONFIG` are skipped, as kubectl skips them.
    public func load(explicit: String? = nil) throws(KubeconfigError) -> Kubeconfig {
        var configs: [Kubeconfig] = []
        for file in files(explicit: explicit) {
            guard FileManager.default.fileExists(atPath: file) else {
                if explicit != nil { throw KubeconfigError(file: file, field: "", message: "file not found") }
                continue
            }
            configs.append(try Self.read(file: file))
        }
        return Kubeconfig.merging(configs)
    }

    /// The configuration to use: the kubeconfig's chosen context, or the in-cluster
    /// service account when there is no kubeconfig at all.
    public func configuration(explicit: String? = nil, overrides: KubeconfigOverrides = .init())
        throws(KubeconfigError) -> ClientConfiguration
    {
        let config = try load(explicit: explicit)
        if config.files.isEmpty, overrides.context == nil, inCluster.isAvailable(environment: environment) {
            var configuration = try inCluster.configuration(environment: environment)
            if let namespace = overrides.namespace { configuration.namespace = namespace }
            return configuration
        }
        return try config.configuration(overrides: overrides, environment: environment)
    }

    public static func read(file: String) throws(KubeconfigError) -> Kubeconfig {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw KubeconfigError(file: file, field: "", message: "cannot read the file")
        }
        let value: Value
        do {
            value = try YAML.parse(String(decoding: data, as: UTF8.self), source: file)
        } catch {
            throw KubeconfigError(file: file, field: "", message: "not valid YAML: \(error)")
        }
        return try Kubeconfig(parsed: value, file: file)
    }
}
