import Unstructured

/// The optional parts of the stack a user switches on under `spec.enable`. Seldon Core and
/// Seldon Deploy are not here: they are always installed.
public enum Feature: String, CaseIterable, Hashable, Sendable, Comparable {
    case analytics, catalogue, payloadstore, routing, detectors

    public static func < (lhs: Feature, rhs: Feature) -> Bool {
        allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
    }

    /// What switching the feature on installs, for the schema's field documentation.
    var summary: String {
        switch self {
        case .analytics: "Seldon Core Analytics: Prometheus, alertmanager, kube-state-metrics, node-exporter, pushgateway."
        case .catalogue: "A trial PostgreSQL for Seldon Deploy's model catalogue (Secret metadata-postgres)."
        case .payloadstore: "Request logging storage: a trial OpenSearch, or an external Elasticsearch (see payloadstore.internal_elastic)."
        case .routing: "Istio routing: the Gateway seldon-gateway and VirtualServices. Needs Istio in the cluster."
        case .detectors: "Advanced monitoring: Knative Broker, Trigger and the request logger. Needs Knative Eventing, routing and payloadstore."
        }
    }
}

/// What a SeldonOperator asks for, after decoding and defaulting.
public struct SeldonOperatorSpec: Equatable, Sendable {
    public var enabled: Set<Feature>
    /// `spec.routing.create_gateway`: false means an existing Gateway named in
    /// `spec.core.values.istio.gateway` is used instead of `seldon-gateway`.
    public var createGateway: Bool
    /// `spec.payloadstore.internal_elastic.use_internal`: false means an external
    /// Elasticsearch configured in `spec.enterprise.values.elasticsearch`.
    public var useInternalElastic: Bool
    /// Helm values for the Seldon Core chart, as the user wrote them.
    public var coreValues: Value
    /// Helm values for the Seldon Deploy chart, as the user wrote them.
    public var enterpriseValues: Value

    public init(enabled: Set<Feature> = [], createGateway: Bool = true, useInternalElastic: Bool = true,
                coreValues: Value = [:], enterpriseValues: Value = [:]) {
        self.enabled = enabled
        self.createGateway = createGateway
        self.useInternalElastic = useInternalElastic
        self.coreValues = coreValues
        self.enterpriseValues = enterpriseValues
    }

    public func isEnabled(_ feature: Feature) -> Bool { enabled.contains(feature) }
}

// MARK: - The one definition of the spec's shape

/// Field names of the spec, shared by the schema and the typed reading of decoded values.
enum SpecField {
    static let enable = "enable"
    static let routing = "routing"
    static let createGateway = "create_gateway"
    static let payloadstore = "payloadstore"
    static let internalElastic = "internal_elastic"
    static let useInternal = "use_internal"
    static let core = "core"
    static let enterprise = "enterprise"
    static let values = "values"
}

extension SeldonOperatorSpec {
    /// The schema of `spec`: the CRD publishes it and `init(decoded:)` reads what it produced.
    public static let schema = Schema.object("The Seldon stack to install: which optional components are on, and how they connect.", [
        .init(SpecField.enable, .object("Optional components; Seldon Core and Seldon Deploy are always installed.",
            Feature.allCases.map { .init($0.rawValue, .boolean($0.summary, default: false)) })),
        .init(SpecField.routing, .object("Routing settings, used when enable.routing is true.", [
            .init(SpecField.createGateway, .boolean(
                "Create the Istio Gateway seldon-gateway. Set false to use an existing Gateway named in core.values.istio.gateway.",
                default: true)),
        ])),
        .init(SpecField.payloadstore, .object("Payload store settings, used when enable.payloadstore is true.", [
            .init(SpecField.internalElastic, .object("The built-in trial OpenSearch.", [
                .init(SpecField.useInternal, .boolean(
                    "Run a trial OpenSearch in the stack's namespace. Set false to use an external Elasticsearch whose URL is enterprise.values.elasticsearch.url.",
                    default: true)),
            ])),
        ])),
        .init(SpecField.core, .object("Seldon Core.", [
            .init(SpecField.values, .freeForm("Helm values for the Seldon Core chart; they override values the operator computes.")),
        ])),
        .init(SpecField.enterprise, .object("Seldon Deploy.", [
            .init(SpecField.values, .freeForm("Helm values for the Seldon Deploy chart; they override values the operator computes.")),
        ])),
    ])

    /// Reads a spec that `schema.decode` accepted (so every field exists with its type).
    init(decoded spec: Value) {
        enabled = Set(Feature.allCases.filter { spec[SpecField.enable][$0.rawValue].boolValue == true })
        createGateway = spec[SpecField.routing][SpecField.createGateway].boolValue ?? true
        useInternalElastic = spec[path: [SpecField.payloadstore, SpecField.internalElastic, SpecField.useInternal]].boolValue ?? true
        coreValues = spec[SpecField.core][SpecField.values].mapValue.map(Value.map) ?? .map([:])
        enterpriseValues = spec[SpecField.enterprise][SpecField.values].mapValue.map(Value.map) ?? .map([:])
    }

    /// The spec as a manifest writes it, every field explicit.
    public var value: Value {
        [
            SpecField.enable: .map(Value.Map(uniqueKeysWithValues: Feature.allCases.map { ($0.rawValue, .bool(isEnabled($0))) })),
            SpecField.routing: [SpecField.createGateway: .bool(createGateway)],
            SpecField.payloadstore: [SpecField.internalElastic: [SpecField.useInternal: .bool(useInternalElastic)]],
            SpecField.core: [SpecField.values: coreValues],
            SpecField.enterprise: [SpecField.values: enterpriseValues],
        ]
    }
}
