import Unstructured

/// The Helm values the stack computes so its components find each other: service URLs,
/// Secret names, the Gateway. The user's `spec.core.values` and `spec.enterprise.values`
/// are laid over the computed values, and each computed key they change is reported, so a
/// user who overrides the wiring does it knowingly.
///
/// A pure function of the spec, the namespace and which components are actually going in
/// (enabled and not blocked by a missing cluster API).
public struct ValueWiring: Sendable {
    public let spec: SeldonOperatorSpec
    public let namespace: String
    public let active: Set<ComponentID>

    public init(spec: SeldonOperatorSpec, namespace: String, active: Set<ComponentID>) {
        self.spec = spec
        self.namespace = namespace
        self.active = active
    }

    /// Names the charts give the objects other components reach.
    enum Names {
        static let gateway = "seldon-gateway"
        static let postgresSecret = "metadata-postgres"
        static let elasticSecret = "elastic-credentials"
        static let opensearchService = "seldon-internal-opensearch-cluster-master"
        static let prometheusService = "seldon-core-analytics-prometheus-seldon"
        static let requestLoggerService = "seldon-request-logger"
        static let broker = "default"
    }

    public struct Result: Sendable {
        /// Final values per active component: computed, then the user's on top.
        public let values: [ComponentID: Value]
        /// One line per component whose user values replace computed ones.
        public let warnings: [String]
    }

    public func wire() -> Result {
        var values: [ComponentID: Value] = [:]
        var warnings: [String] = []
        for id in ComponentID.allCases where active.contains(id) {
            let computed = computedValues(for: id)
            guard let (field, user) = userValues(for: id) else {
                values[id] = computed
                continue
            }
            let overridden = Self.overriddenKeys(computed: computed, user: user)
            if !overridden.isEmpty {
                warnings.append("\(field) overrides values the operator computes for \(id): \(overridden.joined(separator: ", "))")
            }
            values[id] = computed.merging(user)
        }
        return Result(values: values, warnings: warnings)
    }

    private func userValues(for id: ComponentID) -> (String, Value)? {
        switch id {
        case .core: ("spec.core.values", spec.coreValues)
        case .deploy: ("spec.enterprise.values", spec.enterpriseValues)
        default: nil
        }
    }

    /// The values the stack computes for `id`, before the user's.
    public func computedValues(for id: ComponentID) -> Value {
        var values: Value = .map([:])
        switch id {
        case .core:
            if active.contains(.routing) {
                values[path: ["istio", "enabled"]] = true
                if spec.createGateway { values[path: ["istio", "gateway"]] = .string(ownGateway) }
            }
            if active.contains(.detectors) {
                values[path: ["executor", "requestLogger", "defaultEndpoint"]] = .string(brokerIngressURL)
            }
        case .deploy:
            if active.contains(.catalogue) {
                values[path: ["metadata", "pg", "enabled"]] = true
                values[path: ["metadata", "pg", "secret"]] = .string(Names.postgresSecret)
            }
            if active.contains(.payloadstore) {
                values[path: ["elasticsearch", "enabled"]] = true
                if spec.useInternalElastic {
                    values[path: ["elasticsearch", "url"]] = .string(internalElasticsearch.url)
                    values[path: ["elasticsearch", "basicAuth"]] = true
                    values[path: ["elasticsearch", "secret"]] = elasticSecretReference
                }
            }
            if active.contains(.analytics) {
                values[path: ["prometheus", "seldon", "url"]] = .string("http://\(Names.prometheusService).\(namespace).svc.cluster.local/api/v1/")
            }
            if active.contains(.routing), let gateway = gatewayInUse {
                values[path: ["virtualService", "create"]] = true
                values[path: ["virtualService", "gateways"]] = [.string(gateway)]
            }
            values[path: ["requestLogger", "create"]] = .bool(active.contains(.detectors))
            if active.contains(.detectors) {
                values[path: ["requestLogger", "url"]] = .string("http://\(Names.requestLoggerService).\(namespace).svc.cluster.local")
            }
        case .payloadstore:
            values[path: ["opensearch", "enabled"]] = .bool(spec.useInternalElastic)
            values[path: ["credentials", "secretName"]] = .string(Names.elasticSecret)
        case .routing:
            values[path: ["gateway", "create"]] = .bool(spec.createGateway)
            values[path: ["gateway", "name"]] = .string(Names.gateway)
        case .detectors:
            values[path: ["broker", "name"]] = .string(Names.broker)
            values[path: ["requestLogger", "elasticsearch"]] = requestLoggerElasticsearch
        case .analytics, .catalogue:
            break
        }
        return values
    }

    /// `namespace/seldon-gateway`, the Gateway the routing chart creates.
    var ownGateway: String { "\(namespace)/\(Names.gateway)" }

    /// The Gateway VirtualServices attach to: the one Core routes through. A Gateway the user
    /// names in `istio.gateway` wins even when we also create ours, so Deploy's VirtualService
    /// and Core's models never sit on different Gateways; a bare name is qualified with our
    /// namespace, as Istio resolves it.
    var gatewayInUse: String? {
        if let text = spec.coreValues[path: ["istio", "gateway"]].stringValue, let reference = GatewayReference(text) {
            return "\(reference.namespace ?? namespace)/\(reference.name)"
        }
        return spec.createGateway ? ownGateway : nil
    }

    /// Knative's multi-tenant broker ingress addresses a broker by namespace and name; the
    /// chart default `http://default-broker` does not exist with the MT broker.
    var brokerIngressURL: String {
        "http://broker-ingress.knative-eventing.svc.cluster.local/\(namespace)/\(Names.broker)"
    }

    var internalElasticsearch: ElasticsearchEndpoint {
        ElasticsearchEndpoint(scheme: "https", host: "\(Names.opensearchService).\(namespace).svc.cluster.local", port: 9200)
    }

    private var elasticSecretReference: Value {
        ["name": .string(Names.elasticSecret), "userKey": "username", "passwordKey": "password"]
    }

    /// Where the request logger writes. Internal: our OpenSearch. External: parsed from
    /// `enterprise.values.elasticsearch.url`, with `requestLogger.elasticsearch` and
    /// `elasticsearch.secret` of the enterprise values taking precedence, as Seldon's
    /// documentation configures them.
    private var requestLoggerElasticsearch: Value {
        let enterprise = spec.enterpriseValues
        let endpoint = spec.useInternalElastic
            ? internalElasticsearch
            : enterprise[path: ["elasticsearch", "url"]].stringValue.flatMap { ElasticsearchEndpoint(url: $0) }
        var values: Value = .map([:])
        if let endpoint {
            values["host"] = .string(endpoint.host)
            values["port"] = .string(String(endpoint.port))
            values["protocol"] = .string(endpoint.scheme)
        }
        values["secret"] = elasticSecretReference
        if !spec.useInternalElastic {
            values["secret"] = values["secret"].merging(enterprise[path: ["elasticsearch", "secret"]].mapValue.map(Value.map) ?? .map([:]))
            for key in ["host", "port", "protocol"] {
                let given = enterprise[path: ["requestLogger", "elasticsearch", key]]
                if !given.isNull { values[key] = given }
            }
        }
        return values
    }

    /// Dotted paths of computed leaves the user set to something else.
    static func overriddenKeys(computed: Value, user: Value, prefix: String = "") -> [String] {
        guard case let .map(computedMap) = computed else { return [] }
        return computedMap.flatMap { key, value -> [String] in
            let path = prefix.isEmpty ? key : "\(prefix).\(key)"
            let given = user[key]
            if case .map = value, case .map = given {
                return overriddenKeys(computed: value, user: given, prefix: path)
            }
            if case .map = user, user.mapValue?[key] != nil, given != value { return [path] }
            return []
        }
    }
}
