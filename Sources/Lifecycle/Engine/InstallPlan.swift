import Unstructured

/// What to install: the SeldonOperator and, per component, the objects its chart
/// rendered. The command layer builds it from the Stack module's plan and the Helm
/// renderer; the engine only applies, waits, records and prunes.
public struct InstallPlan: Sendable {
    /// The SeldonOperator's name and namespace; its records and lock live beside it.
    public var instance: String
    public var namespace: String
    /// The SeldonOperator object, applied first so its status can be written.
    public var operatorObject: Value
    /// Its CRD, applied (and waited for) before it.
    public var operatorDefinition: Value?
    /// The manifest as the user wrote it: stored in records for `rollback`.
    public var specText: String
    public var components: [ComponentPlan]
    /// Why this install runs, when it is not a plain install ("rollback to revision 3"):
    /// the message of the records it writes, so `history` shows it.
    public var reason: String

    public init(
        instance: String, namespace: String, operatorObject: Value, operatorDefinition: Value?, specText: String,
        components: [ComponentPlan], reason: String = ""
    ) {
        self.instance = instance
        self.namespace = namespace
        self.operatorObject = operatorObject
        self.operatorDefinition = operatorDefinition
        self.specText = specText
        self.components = components
        self.reason = reason
    }

    /// The hash records keep of the spec, secrets redacted.
    public var specHash: String { StableHash.of(Redaction.redacted(operatorObject["spec"])) }
}

/// One component of the stack as it should be installed.
public struct ComponentPlan: Sendable {
    public var name: String
    /// Components that must be healthy before this one starts.
    public var dependencies: [String]
    public var chartVersion: String
    /// The Helm values it was rendered with, hashed (secrets redacted) into its record.
    public var values: Value
    /// The rendered objects, in the order the chart produced them.
    public var objects: [Value]
    /// Why it cannot go in (the cluster lacks an API it needs); nil when it can.
    public var blocked: String?

    public init(
        name: String, dependencies: [String], chartVersion: String, values: Value, objects: [Value],
        blocked: String? = nil
    ) {
        self.name = name
        self.dependencies = dependencies
        self.chartVersion = chartVersion
        self.values = values
        self.objects = objects
        self.blocked = blocked
    }
}

/// A component's place in a run: its marked objects, split as the engine applies them.
struct PreparedComponent: Sendable {
    let plan: ComponentPlan
    let desired: [DesiredObject]
    let valuesHash: String

    var name: String { plan.name }

    /// CRDs and Namespaces: applied for every component before any component starts,
    /// because other components' objects may live in those namespaces or be of those kinds.
    var foundation: [DesiredObject] { desired.filter { Self.isFoundation($0.reference) } }

    /// Built-in kinds, in install order.
    var workloads: [DesiredObject] {
        ordered(desired.filter { !Self.isFoundation($0.reference) && !Self.isCustomResource($0.reference) })
    }

    /// Custom resources, applied as soon as `webhookBackends` are healthy. Their CRDs are
    /// established and the components they depend on healthy before the component starts;
    /// the API server then stores them whether or not an operator acts on them yet.
    var customResources: [DesiredObject] { ordered(desired.filter { Self.isCustomResource($0.reference) }) }

    /// What must run before the component's custom resources can be applied: its own
    /// admission webhooks (healthy only once their Services have ready endpoints), those
    /// Services, and the workloads whose Pods the Services select. A webhook without an
    /// endpoint makes the API server refuse every object it matches ("failed calling
    /// webhook … no endpoints available"). Empty when the component renders no webhook:
    /// waiting for its other workloads would only delay custom resources nothing guards.
    var webhookBackends: [DesiredObject] {
        let webhooks = desired.filter { Self.webhookKinds.contains($0.reference.groupKind) }
        let serviceKeys = Set(webhooks.flatMap { webhook in
            (webhook.object["webhooks"].listValue ?? []).compactMap { entry -> ObjectKey? in
                let service = entry["clientConfig"]["service"]
                guard let name = service["name"].stringValue else { return nil }
                return ObjectKey(ObjectReference(
                    apiVersion: "v1", kind: "Service", namespace: service["namespace"].stringValue, name: name))
            }
        })
        let services = desired.filter { serviceKeys.contains(ObjectKey($0.reference)) }
        let backing = desired.filter { workload in
            guard HealthWaiter.workloadKinds.contains(workload.reference.groupKind) else { return false }
            let labels = workload.object["spec"]["template"]["metadata"]["labels"]
            return services.contains { service in
                service.reference.namespace == workload.reference.namespace
                    && Self.selects(service.object["spec"]["selector"], labels: labels)
            }
        }
        return ordered(services + backing + webhooks)
    }

    private static let webhookKinds: Set<GroupKind> = [
        GroupKind(group: "admissionregistration.k8s.io", kind: "ValidatingWebhookConfiguration"),
        GroupKind(group: "admissionregistration.k8s.io", kind: "MutatingWebhookConfiguration"),
    ]

    /// A Service's `spec.selector` (plain labels, all required) against a Pod template's
    /// labels; a Service without a selector selects no Pods of ours.
    private static func selects(_ selector: Value, labels: Value) -> Bool {
        guard let required = selector.mapValue, !required.isEmpty else { return false }
        return required.allSatisfy { key, value in value.stringValue.map { labels[key].stringValue == $0 } ?? false }
    }

    private func ordered(_ objects: [DesiredObject]) -> [DesiredObject] {
        let byReference = Dictionary(objects.map { ($0.reference, $0) }, uniquingKeysWith: { first, _ in first })
        return InstallOrder.sorted(objects.map(\.reference)).compactMap { byReference[$0] }
    }

    static func isFoundation(_ reference: ObjectReference) -> Bool {
        reference.groupKind == GroupKind(group: "apiextensions.k8s.io", kind: "CustomResourceDefinition")
            || reference.groupKind == GroupKind(group: "", kind: "Namespace")
    }

    static func isCustomResource(_ reference: ObjectReference) -> Bool {
        !UninstallWave.isBuiltIn(reference.groupKind.group)
    }
}

extension InstallPlan {
    /// Marks every rendered object and checks the plan's shape, so a bad plan is refused
    /// before anything is applied.
    func prepared() throws(InstallError) -> [PreparedComponent] {
        let names = Set(components.map(\.name))
        guard names.count == components.count else { throw .invalidPlan("two components share a name") }
        var owner: [ObjectReference: String] = [:]
        var result: [PreparedComponent] = []
        for component in components {
            for dependency in component.dependencies where !names.contains(dependency) {
                throw .invalidPlan("component \(component.name) depends on \(dependency), which is not in the plan")
            }
            var desired: [DesiredObject] = []
            for (index, object) in component.objects.enumerated() {
                let marked: DesiredObject
                do {
                    marked = try DesiredObject(rendered: object, index: index, instance: instance, component: component.name)
                } catch {
                    throw .invalidPlan(error.description)
                }
                if let other = owner.updateValue(component.name, forKey: marked.reference) {
                    throw .invalidPlan("\(marked.reference) is rendered by both \(other) and \(component.name)")
                }
                desired.append(marked)
            }
            result.append(PreparedComponent(
                plan: component, desired: desired, valuesHash: StableHash.of(Redaction.redacted(component.values))))
        }
        try Self.checkAcyclic(components)
        return result
    }

    private static func checkAcyclic(_ components: [ComponentPlan]) throws(InstallError) {
        let dependencies = Dictionary(uniqueKeysWithValues: components.map { ($0.name, $0.dependencies) })
        var done = Set<String>()
        while done.count < components.count {
            let ready = components.filter { !done.contains($0.name) && dependencies[$0.name, default: []].allSatisfy(done.contains) }
            guard !ready.isEmpty else {
                let rest = components.map(\.name).filter { !done.contains($0) }.sorted()
                throw .invalidPlan("the dependencies of \(rest.joined(separator: ", ")) form a cycle")
            }
            done.formUnion(ready.map(\.name))
        }
    }
}
