import Testing
@testable import Sandbox
import Unstructured

@Suite struct ControllerTests {
    let harness: Harness
    init() {
        harness = Harness()
        harness.createNamespace("app")
    }

    static func podTemplate(_ app: String) -> Value {
        ["metadata": ["labels": ["app": .string(app)]],
         "spec": ["containers": [["name": "main", "image": "nginx", "ports": [["name": "http", "containerPort": 8080]]]]]]
    }

    func deployment(_ name: String, replicas: Int = 2) -> Value {
        ["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": .string(name)],
         "spec": ["replicas": .int(replicas), "selector": ["matchLabels": ["app": .string(name)]], "template": Self.podTemplate(name)]]
    }

    func list(_ path: String) -> [Value] { harness.call("GET", path).body["items"].listValue ?? [] }

    @Test func deploymentOwnsAReplicaSetWhosePodsBecomeReady() {
        harness.call("POST", "/apis/apps/v1/namespaces/app/deployments", deployment("web"))
        harness.settle(8)
        let replicaSets = list("/apis/apps/v1/namespaces/app/replicasets")
        #expect(replicaSets.count == 1)
        let rs = replicaSets.first ?? .null
        #expect(rs["metadata"]["ownerReferences"][0]["kind"] == "Deployment")
        #expect(rs["metadata"]["ownerReferences"][0]["controller"] == true)
        #expect(rs["metadata"]["labels"]["pod-template-hash"].stringValue.map { rs["metadata"]["name"].stringValue?.hasSuffix($0) ?? false } == true)
        let pods = list("/api/v1/namespaces/app/pods")
        #expect(pods.count == 2)
        #expect(pods.allSatisfy { $0["status"]["phase"] == "Running" && $0["metadata"]["ownerReferences"][0]["uid"] == rs["metadata"]["uid"] })
        let status = harness.call("GET", "/apis/apps/v1/namespaces/app/deployments/web").body["status"]
        #expect(status["availableReplicas"] == 2)
        #expect(status["observedGeneration"] == 1)
        #expect(status["conditions"].listValue?.contains { $0["type"] == "Available" && $0["status"] == "True" } == true)
        #expect(status["conditions"].listValue?.contains { $0["reason"] == "NewReplicaSetAvailable" } == true)
    }

    @Test func readyDelayHoldsPodsPending() {
        let slow = Harness { $0.readyDelayByKind["pod"] = 3600 }
        slow.createNamespace("app")
        slow.call("POST", "/apis/apps/v1/namespaces/app/deployments", deployment("web", replicas: 1))
        slow.settle(8)
        let pods = slow.call("GET", "/api/v1/namespaces/app/pods").body["items"].listValue ?? []
        #expect(pods.count == 1)
        #expect(pods.first?["status"]["phase"] == "Pending")
        let status = slow.call("GET", "/apis/apps/v1/namespaces/app/deployments/web").body["status"]
        #expect(status["conditions"].listValue?.contains { $0["type"] == "Available" && $0["status"] == "False" } == true)
    }

    @Test func rolloutReplacesTheReplicaSetAndBumpsObservedGeneration() {
        harness.call("POST", "/apis/apps/v1/namespaces/app/deployments", deployment("web"))
        harness.settle(6)
        harness.call("PATCH", "/apis/apps/v1/namespaces/app/deployments/web",
                     ["spec": ["template": ["spec": ["containers": [["name": "main", "image": "nginx:2"]]]]]],
                     contentType: "application/strategic-merge-patch+json")
        harness.settle(10)
        let replicaSets = list("/apis/apps/v1/namespaces/app/replicasets")
        #expect(replicaSets.count == 2)
        #expect(replicaSets.filter { $0["spec"]["replicas"] == 0 }.count == 1)
        let pods = list("/api/v1/namespaces/app/pods")
        #expect(pods.count == 2)
        #expect(pods.allSatisfy { $0["spec"]["containers"][0]["image"] == "nginx:2" })
        #expect(harness.call("GET", "/apis/apps/v1/namespaces/app/deployments/web").body["status"]["observedGeneration"] == 2)
    }

    @Test func statefulSetCreatesOrdinalPodsAndClaims() {
        harness.call("POST", "/apis/apps/v1/namespaces/app/statefulsets", [
            "apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": ["name": "db"],
            "spec": ["replicas": 2, "serviceName": "db", "selector": ["matchLabels": ["app": "db"]], "template": Self.podTemplate("db"),
                     "volumeClaimTemplates": [["metadata": ["name": "data"],
                                               "spec": ["accessModes": ["ReadWriteOnce"], "resources": ["requests": ["storage": "1Gi"]]]]]],
        ])
        harness.settle(10)
        #expect(list("/api/v1/namespaces/app/pods").map { $0["metadata"]["name"] } == ["db-0", "db-1"])
        let claims = list("/api/v1/namespaces/app/persistentvolumeclaims")
        #expect(claims.map { $0["metadata"]["name"] } == ["data-db-0", "data-db-1"])
        #expect(claims.allSatisfy { $0["status"]["phase"] == "Bound" })
        let status = harness.call("GET", "/apis/apps/v1/namespaces/app/statefulsets/db").body["status"]
        #expect(status["readyReplicas"] == 2)
    }

    @Test func daemonSetRunsOnePodOnTheNode() {
        harness.call("POST", "/apis/apps/v1/namespaces/app/daemonsets", [
            "apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": ["name": "agent"],
            "spec": ["selector": ["matchLabels": ["app": "agent"]], "template": Self.podTemplate("agent")],
        ])
        harness.settle(6)
        let status = harness.call("GET", "/apis/apps/v1/namespaces/app/daemonsets/agent").body["status"]
        #expect(status["desiredNumberScheduled"] == 1)
        #expect(status["numberReady"] == 1)
    }

    @Test func jobsComplete() {
        harness.call("POST", "/apis/batch/v1/namespaces/app/jobs", [
            "apiVersion": "batch/v1", "kind": "Job", "metadata": ["name": "migrate"],
            "spec": ["template": ["spec": ["restartPolicy": "Never", "containers": [["name": "m", "image": "busybox"]]]]],
        ])
        harness.settle(8)
        let status = harness.call("GET", "/apis/batch/v1/namespaces/app/jobs/migrate").body["status"]
        #expect(status["succeeded"] == 1)
        #expect(status["conditions"].listValue?.contains { $0["type"] == "Complete" && $0["status"] == "True" } == true)
    }

    @Test func servicesGetEndpointsForReadyPodsAndLoadBalancersAnIngress() {
        harness.call("POST", "/apis/apps/v1/namespaces/app/deployments", deployment("web"))
        harness.call("POST", "/api/v1/namespaces/app/services", [
            "apiVersion": "v1", "kind": "Service", "metadata": ["name": "web"],
            "spec": ["type": "LoadBalancer", "selector": ["app": "web"], "ports": [["port": 80, "targetPort": "http"]]],
        ])
        harness.settle(8)
        let endpoints = harness.call("GET", "/api/v1/namespaces/app/endpoints/web").body
        #expect(endpoints["subsets"][0]["addresses"].listValue?.count == 2)
        #expect(endpoints["subsets"][0]["ports"][0]["port"] == 8080)
        let slices = list("/apis/discovery.k8s.io/v1/namespaces/app/endpointslices")
        #expect(slices.first?["metadata"]["labels"]["kubernetes.io/service-name"] == "web")
        #expect(slices.first?["endpoints"].listValue?.count == 2)
        let service = harness.call("GET", "/api/v1/namespaces/app/services/web").body
        #expect(service["status"]["loadBalancer"]["ingress"][0]["ip"].stringValue?.hasPrefix("172.18.255.") == true)
    }

    @Test func endpointsAndSlicesGoWithTheirServiceButEndpointsWithoutOneStay() {
        harness.call("POST", "/apis/apps/v1/namespaces/app/deployments", deployment("web"))
        harness.call("POST", "/api/v1/namespaces/app/services", [
            "apiVersion": "v1", "kind": "Service", "metadata": ["name": "web"],
            "spec": ["selector": ["app": "web"], "ports": [["port": 80]]],
        ])
        harness.call("POST", "/api/v1/namespaces/app/endpoints", [
            "apiVersion": "v1", "kind": "Endpoints", "metadata": ["name": "external"],
            "subsets": [["addresses": [["ip": "10.1.2.3"]], "ports": [["port": 5432]]]],
        ])
        harness.settle(8)
        #expect(harness.call("GET", "/api/v1/namespaces/app/endpoints/web").status == 200)
        #expect(list("/apis/discovery.k8s.io/v1/namespaces/app/endpointslices").count == 1)
        #expect(harness.call("DELETE", "/api/v1/namespaces/app/services/web").status == 200)
        harness.settle(2)
        #expect(harness.call("GET", "/api/v1/namespaces/app/endpoints/web").status == 404)
        #expect(list("/apis/discovery.k8s.io/v1/namespaces/app/endpointslices").isEmpty)
        #expect(harness.call("GET", "/api/v1/namespaces/app/endpoints/external").status == 200,
                "Endpoints no Service owned are left alone")
    }

    @Test func waitForFirstConsumerBindsOnlyOnceAPodUsesTheClaim() {
        harness.call("POST", "/apis/storage.k8s.io/v1/storageclasses", [
            "apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": ["name": "late"],
            "provisioner": "example.com/disk", "volumeBindingMode": "WaitForFirstConsumer",
        ])
        harness.call("POST", "/api/v1/namespaces/app/persistentvolumeclaims", [
            "apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": ["name": "claim"],
            "spec": ["storageClassName": "late", "accessModes": ["ReadWriteOnce"], "resources": ["requests": ["storage": "1Gi"]]],
        ])
        harness.settle(4)
        #expect(harness.call("GET", "/api/v1/namespaces/app/persistentvolumeclaims/claim").body["status"]["phase"] == "Pending")
        harness.call("POST", "/api/v1/namespaces/app/pods", [
            "apiVersion": "v1", "kind": "Pod", "metadata": ["name": "user"],
            "spec": ["containers": [["name": "c", "image": "i"]],
                     "volumes": [["name": "v", "persistentVolumeClaim": ["claimName": "claim"]]]],
        ])
        harness.settle(6)
        let claim = harness.call("GET", "/api/v1/namespaces/app/persistentvolumeclaims/claim").body
        #expect(claim["status"]["phase"] == "Bound")
        #expect(harness.call("GET", "/api/v1/persistentvolumes/\(claim["spec"]["volumeName"].stringValue ?? "")").status == 200)
        #expect(harness.call("GET", "/api/v1/namespaces/app/pods/user").body["status"]["phase"] == "Running")
    }

    @Test func namespaceTerminationDeletesContentsThenTheNamespace() {
        harness.call("POST", "/api/v1/namespaces/app/configmaps", ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "c"]])
        let deleted = harness.call("DELETE", "/api/v1/namespaces/app").body
        #expect(deleted["status"]["phase"] == "Terminating")
        #expect(deleted["spec"]["finalizers"] == ["kubernetes"])
        let refused = harness.call("POST", "/api/v1/namespaces/app/configmaps", ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "d"]])
        #expect(refused.status == 403)
        harness.settle(3)
        #expect(harness.call("GET", "/api/v1/namespaces/app").status == 404)
        #expect(harness.call("GET", "/api/v1/namespaces/app/configmaps/c").status == 404)
    }

    @Test func namespacesGetTheDefaultServiceAccount() {
        harness.settle(1)
        #expect(harness.call("GET", "/api/v1/namespaces/app/serviceaccounts/default").status == 200)
    }

    @Test func garbageCollectionFollowsThePropagationPolicy() {
        harness.call("POST", "/apis/apps/v1/namespaces/app/deployments", deployment("bg"))
        harness.call("POST", "/apis/apps/v1/namespaces/app/deployments", deployment("orphan"))
        harness.call("POST", "/apis/apps/v1/namespaces/app/deployments", deployment("fg"))
        harness.settle(6)
        harness.call("DELETE", "/apis/apps/v1/namespaces/app/deployments/bg", ["propagationPolicy": "Background"])
        harness.call("DELETE", "/apis/apps/v1/namespaces/app/deployments/orphan", ["propagationPolicy": "Orphan"])
        let foreground = harness.call("DELETE", "/apis/apps/v1/namespaces/app/deployments/fg", ["propagationPolicy": "Foreground"]).body
        #expect(foreground["metadata"]["finalizers"] == ["foregroundDeletion"])
        let waiting = harness.call("GET", "/apis/apps/v1/namespaces/app/deployments/fg")
        #expect(waiting.status == 200 && !waiting.body["metadata"]["deletionTimestamp"].isNull,
                "a foreground owner stays until its dependents are gone")
        harness.settle(6)
        let pods = list("/api/v1/namespaces/app/pods").compactMap { $0["metadata"]["name"].stringValue }
        #expect(pods.allSatisfy { $0.hasPrefix("orphan-") })
        #expect(pods.count == 2)
        let orphaned = list("/apis/apps/v1/namespaces/app/replicasets")
        #expect(orphaned.count == 1)
        #expect(orphaned.first?["metadata"]["ownerReferences"].isNull == true)
        #expect(harness.call("GET", "/apis/apps/v1/namespaces/app/deployments/fg").status == 404)
    }
}
