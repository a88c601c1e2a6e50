import FoundationEssentials

/// Everything `sandbox start` can configure.
public struct SandboxOptions: Sendable {
    public var port = 0
    public var useTLS = true
    public var withIstio = false
    public var withKnative = false
    /// How long simulated controllers wait before reporting a new object ready.
    public var readyDelay: Double = 1
    /// Per-kind overrides of `readyDelay`, keyed by lower-case kind (`deployment`, `widget`).
    public var readyDelayByKind: [String: Double] = [:]
    public var seed: UInt64 = 1
    public var faults = FaultSpec()
    public var statePath: String?
    /// Also append every API request to this JSON-lines file.
    public var requestLogPath: String?
    /// Custom resources whose finalizer an operator Deployment holds (see `SimulatedOperator`).
    public var operators: [SimulatedOperator] = []
    /// How often the controllers run.
    public var controllerInterval: Double = 0.1
    /// How often a watch with `allowWatchBookmarks` gets a BOOKMARK.
    public var bookmarkInterval: Double = 10

    public init() {}

    func readyDelay(forKind kind: String) -> Double { readyDelayByKind[kind.lowercased()] ?? readyDelay }
}

/// "While Deployment `deployment` exists in `namespace`, custom resources `resource`.`group` carry `finalizer`
/// and lose it once they are being deleted" — enough to reproduce an operator removed before its resources.
public struct SimulatedOperator: Sendable, Equatable {
    public var group: String
    public var resource: String
    public var finalizer: String
    public var namespace: String
    public var deployment: String

    public init(group: String, resource: String, finalizer: String, namespace: String, deployment: String) {
        self.group = group
        self.resource = resource
        self.finalizer = finalizer
        self.namespace = namespace
        self.deployment = deployment
    }

    /// `widgets.ref.example.com=ref.example.com/cleanup@ns/deploy`
    public static func parse(_ text: String) -> SimulatedOperator? {
        let parts = text.split(separator: "=", maxSplits: 1)
        guard parts.count == 2 else { return nil }
        let resourceParts = parts[0].split(separator: ".", maxSplits: 1)
        let rest = parts[1].split(separator: "@", maxSplits: 1)
        guard resourceParts.count == 2, rest.count == 2 else { return nil }
        let target = rest[1].split(separator: "/", maxSplits: 1)
        guard target.count == 2 else { return nil }
        return SimulatedOperator(group: String(resourceParts[1]), resource: String(resourceParts[0]),
                                 finalizer: String(rest[0]), namespace: String(target[0]), deployment: String(target[1]))
    }
}
