import Unstructured

/// The parts of the Seldon stack, each installed from its own chart in charts/.
/// Declaration order is the order used wherever no dependency decides.
public enum ComponentID: String, CaseIterable, Hashable, Sendable, Comparable, CustomStringConvertible {
    case core, deploy, analytics, catalogue, payloadstore, routing, detectors

    public static func < (lhs: ComponentID, rhs: ComponentID) -> Bool {
        allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
    }

    public var description: String { rawValue }
}

/// A Kubernetes API a component's objects need the cluster to serve.
public struct APIRequirement: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let group: String
    public let version: String
    public let kind: String

    public init(_ group: String, _ version: String, _ kind: String) {
        self.group = group
        self.version = version
        self.kind = kind
    }

    public var groupVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
    public var description: String { "\(groupVersion) \(kind)" }

    public static func < (lhs: APIRequirement, rhs: APIRequirement) -> Bool {
        (lhs.group, lhs.version, lhs.kind) < (rhs.group, rhs.version, rhs.kind)
    }
}

/// One component: what switches it on, what it needs, and which chart holds it.
public struct Component: Sendable {
    /// When another component is needed: always, or only when the spec switches it on.
    public enum Need: Sendable {
        case always(ComponentID)
        case ifEnabled(ComponentID)
    }

    public let id: ComponentID
    public let title: String
    /// The folder under charts/ (and the chart's name).
    public let chart: String
    /// The Helm release name, chosen so object names match Seldon's documentation
    /// (`seldon-core-analytics-prometheus-seldon`, `seldon-internal-postgres-postgresql-0`).
    public let release: String
    /// The flag that switches it on; nil for the components every install has.
    public let feature: Feature?
    public let needs: [Need]
    public let prerequisites: [APIRequirement]

    public func isEnabled(in spec: SeldonOperatorSpec) -> Bool {
        feature.map(spec.isEnabled) ?? true
    }

    /// The components this one must come after, for the given spec.
    public func dependencies(in spec: SeldonOperatorSpec) -> [ComponentID] {
        needs.compactMap { need in
            switch need {
            case let .always(other): other
            case let .ifEnabled(other): Catalog[other].isEnabled(in: spec) ? other : nil
            }
        }
    }
}

/// Every component of the stack, as data.
public enum Catalog {
    static let istioGateway = APIRequirement("networking.istio.io", "v1beta1", "Gateway")
    static let istioVirtualService = APIRequirement("networking.istio.io", "v1beta1", "VirtualService")
    static let knativeBroker = APIRequirement("eventing.knative.dev", "v1", "Broker")
    static let knativeTrigger = APIRequirement("eventing.knative.dev", "v1", "Trigger")

    public static let components: [Component] = [
        Component(id: .core, title: "Seldon Core", chart: "seldon-core", release: "seldon-core", feature: nil,
                  needs: [], prerequisites: []),
        Component(id: .deploy, title: "Seldon Deploy", chart: "seldon-deploy", release: "seldon-deploy", feature: nil,
                  needs: [.always(.core), .ifEnabled(.catalogue), .ifEnabled(.payloadstore), .ifEnabled(.analytics)],
                  prerequisites: []),
        Component(id: .analytics, title: "Seldon Core Analytics", chart: "seldon-core-analytics", release: "seldon-core-analytics",
                  feature: .analytics, needs: [], prerequisites: []),
        Component(id: .catalogue, title: "Model catalogue store (trial PostgreSQL)", chart: "seldon-catalogue",
                  release: "seldon-internal-postgres", feature: .catalogue, needs: [], prerequisites: []),
        Component(id: .payloadstore, title: "Payload store (trial OpenSearch or external Elasticsearch)", chart: "seldon-payloadstore",
                  release: "seldon-internal-opensearch", feature: .payloadstore, needs: [], prerequisites: []),
        Component(id: .routing, title: "Istio routing", chart: "seldon-routing", release: "seldon-routing", feature: .routing,
                  needs: [.always(.core)], prerequisites: [istioGateway, istioVirtualService]),
        Component(id: .detectors, title: "Detectors and request logging (Knative Eventing)", chart: "seldon-detectors",
                  release: "seldon-detectors", feature: .detectors,
                  needs: [.always(.routing), .always(.payloadstore)], prerequisites: [knativeBroker, knativeTrigger]),
    ]

    public static subscript(id: ComponentID) -> Component {
        // `components` lists every case in declaration order, so the index is the case's.
        components[ComponentID.allCases.firstIndex(of: id) ?? 0]
    }
}
