import Lifecycle
import Testing
import Unstructured

@testable import Controller

@Suite("Event router")
struct EventRouterTests {
    static func seldonOperator(_ name: String, generation: Int, version: String, deleting: Bool = false) -> Value {
        var metadata: Value = ["name": .string(name), "namespace": "seldon-system", "generation": .int(generation), "resourceVersion": .string(version)]
        if deleting { metadata["deletionTimestamp"] = "2026-11-21T22:00:00Z" }
        return ["apiVersion": "operator.seldon.io/v1alpha1", "kind": "SeldonOperator", "metadata": metadata]
    }

    static func deployment(instance: String?, version: String) -> Value {
        var labels: Value = .map([Ownership.managedByLabel: "seldon-operator"])
        if let instance { labels[Ownership.instanceLabel] = .string(instance) }
        return ["apiVersion": "apps/v1", "kind": "Deployment",
                "metadata": ["name": "seldon-controller-manager", "namespace": "seldon-system", "resourceVersion": .string(version), "labels": labels]]
    }

    let seldon = ResourceKey(namespace: "seldon-system", name: "seldon")
    let second = ResourceKey(namespace: "seldon-system", name: "second")

    @Test("SeldonOperators are queued for spec, deletion and finalizer changes, not for status writes or replays")
    func operatorEvents() {
        var router = EventRouter()
        #expect(router.operatorEvent(.added(Self.seldonOperator("seldon", generation: 1, version: "1"))) == [seldon])
        #expect(router.operatorEvent(.added(Self.seldonOperator("seldon", generation: 1, version: "1"))).isEmpty)
        #expect(router.operatorEvent(.modified(Self.seldonOperator("seldon", generation: 1, version: "2"))).isEmpty)
        #expect(router.operatorEvent(.modified(Self.seldonOperator("seldon", generation: 2, version: "3"))) == [seldon])
        var withFinalizer = Self.seldonOperator("seldon", generation: 2, version: "4")
        withFinalizer["metadata"]["finalizers"] = ["operator.seldon.io/finalizer"]
        #expect(router.operatorEvent(.modified(withFinalizer)) == [seldon])
        #expect(router.operatorEvent(.modified(Self.seldonOperator("seldon", generation: 2, version: "5", deleting: true))) == [seldon])
    }

    @Test("a SeldonOperator's disappearance queues every other one, which may now be in charge")
    func deletionQueuesOthers() {
        var router = EventRouter()
        _ = router.operatorEvent(.added(Self.seldonOperator("seldon", generation: 1, version: "1")))
        _ = router.operatorEvent(.added(Self.seldonOperator("second", generation: 1, version: "2")))
        #expect(router.operatorEvent(.deleted(Self.seldonOperator("seldon", generation: 1, version: "3"))) == [second])
        #expect(router.operatorKeys == [second])
    }

    @Test("owned objects queue the SeldonOperator their instance label names, once per resourceVersion")
    func ownedEvents() {
        var router = EventRouter()
        _ = router.operatorEvent(.added(Self.seldonOperator("seldon", generation: 1, version: "1")))
        #expect(router.ownedEvent(.added(Self.deployment(instance: "seldon", version: "10"))) == [seldon])
        #expect(router.ownedEvent(.added(Self.deployment(instance: "seldon", version: "10"))).isEmpty)
        #expect(router.ownedEvent(.modified(Self.deployment(instance: "seldon", version: "11"))) == [seldon])
        #expect(router.ownedCount == 1)
        #expect(router.ownedEvent(.deleted(Self.deployment(instance: "seldon", version: "11"))) == [seldon])
        #expect(router.ownedCount == 0)
        #expect(router.ownedEvent(.added(Self.deployment(instance: "unknown", version: "12"))).isEmpty)
        #expect(router.ownedEvent(.added(Self.deployment(instance: nil, version: "13"))).isEmpty)
    }
}
