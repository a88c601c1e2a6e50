import Foundation
import Testing
import Unstructured

@testable import Lifecycle

/// One row of a health table: an object as the API server returns it, what its
/// surroundings hold, and the verdict expected.
struct HealthCase: CustomTestStringConvertible, Sendable {
    let name: String
    let object: String
    var pods: [String] = []
    var storageClasses: [String] = []
    var endpoints: [String] = []
    let word: String
    var code: String? = nil
    var messageContains: [String] = []

    var testDescription: String { name }

    static let now = Date(timeIntervalSince1970: 1_795_300_000)  // 2026-11-21T22:26:40Z

    func check() throws {
        let context = HealthContext(
            now: Self.now,
            pods: try pods.map(Fixture.json),
            storageClasses: try storageClasses.map(Fixture.json),
            endpoints: try endpoints.map(Fixture.json))
        let status = Health.assess(try Fixture.json(object), context: context)
        #expect(status.word == word, "\(name): \(status)")
        if let code { #expect(status.reason?.code == code, "\(name): \(status)") }
        for fragment in messageContains {
            #expect(status.reason?.message.contains(fragment) == true, "\(name): \(status) lacks \(fragment)")
        }
    }
}

/// A Deployment as kube-controller-manager leaves it (kube-reference deployment-controller.json),
/// with `status` replaced per case.
func deployment(replicas: Int = 2, generation: Int = 1, status: String) -> String {
    """
    {"apiVersion": "apps/v1", "kind": "Deployment",
     "metadata": {"name": "web", "namespace": "ref", "uid": "fdedd9ed-352d-4654-90bd-98e288e1ea1e",
                  "generation": \(generation), "labels": {"app": "web"}},
     "spec": {"replicas": \(replicas), "selector": {"matchLabels": {"app": "web"}},
              "template": {"metadata": {"labels": {"app": "web"}},
                           "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27"}]}},
              "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}},
              "progressDeadlineSeconds": 600},
     "status": \(status)}
    """
}

/// A Pod of `web` as the ReplicaSet controller creates it, with `status` per case.
func webPod(_ name: String = "web-5c78f69c86-2r6n4", labels: String = #"{"app": "web", "pod-template-hash": "5c78f69c86"}"#,
            namespace: String = "ref", status: String) -> String {
    """
    {"apiVersion": "v1", "kind": "Pod",
     "metadata": {"name": "\(name)", "namespace": "\(namespace)", "labels": \(labels),
                  "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-5c78f69c86",
                                       "uid": "ad439551-22a9-448b-b620-ec304fc760cb", "controller": true}]},
     "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27"}]},
     "status": \(status)}
    """
}

let availableStatus = """
    {"observedGeneration": 1, "replicas": 2, "updatedReplicas": 2, "readyReplicas": 2, "availableReplicas": 2,
     "conditions": [
       {"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable", "message": "Deployment has minimum availability."},
       {"type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable", "message": "ReplicaSet \\"web-5c78f69c86\\" has successfully progressed."}]}
    """

let crashLoopPod = webPod(status: """
    {"phase": "Running", "conditions": [{"type": "Ready", "status": "False", "reason": "ContainersNotReady"}],
     "containerStatuses": [{"name": "nginx", "ready": false, "restartCount": 4,
       "state": {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off 1m20s restarting failed container=nginx pod=web-5c78f69c86-2r6n4_ref"}},
       "lastState": {"terminated": {"exitCode": 1, "reason": "Error"}}}]}
    """)

@Suite("Health of workloads")
struct HealthWorkloadTests {
    static let deploymentsTable: [HealthCase] = [
        HealthCase(name: "available deployment", object: deployment(status: availableStatus), word: "Current"),
        HealthCase(
            name: "just created, controller has not reported",
            object: deployment(status: "{}"), word: "InProgress", code: "NoStatus"),
        HealthCase(
            name: "controller output of the reference capture: pods pending",
            object: deployment(status: """
                {"observedGeneration": 1, "replicas": 2, "updatedReplicas": 2, "unavailableReplicas": 2,
                 "conditions": [
                   {"type": "Available", "status": "False", "reason": "MinimumReplicasUnavailable", "message": "Deployment does not have minimum availability."},
                   {"type": "Progressing", "status": "True", "reason": "ReplicaSetUpdated", "message": "ReplicaSet \\"web-5c78f69c86\\" is progressing."}]}
                """),
            pods: [webPod(status: #"{"phase": "Pending", "qosClass": "BestEffort"}"#)],
            word: "InProgress", code: "LessAvailable", messageContains: ["0/2"]),
        HealthCase(
            name: "spec changed, old generation observed",
            object: deployment(generation: 2, status: availableStatus),
            word: "InProgress", code: "LatestGenerationNotObserved", messageContains: ["1", "2"]),
        HealthCase(
            name: "rolling update half done",
            object: deployment(status: """
                {"observedGeneration": 1, "replicas": 3, "updatedReplicas": 1, "readyReplicas": 2, "availableReplicas": 2}
                """),
            word: "InProgress", code: "LessUpdated", messageContains: ["1/2"]),
        HealthCase(
            name: "old pods still terminating",
            object: deployment(status: """
                {"observedGeneration": 1, "replicas": 3, "updatedReplicas": 2, "readyReplicas": 2, "availableReplicas": 2}
                """),
            word: "InProgress", code: "ExtraPods"),
        HealthCase(
            name: "available but not ready counts",
            object: deployment(status: """
                {"observedGeneration": 1, "replicas": 2, "updatedReplicas": 2, "readyReplicas": 1, "availableReplicas": 2}
                """),
            word: "InProgress", code: "LessReady"),
        HealthCase(
            name: "progress deadline exceeded",
            object: deployment(status: """
                {"observedGeneration": 1, "replicas": 2, "updatedReplicas": 2, "unavailableReplicas": 2,
                 "conditions": [{"type": "Progressing", "status": "False", "reason": "ProgressDeadlineExceeded",
                                 "message": "ReplicaSet \\"web-5c78f69c86\\" has timed out progressing."}]}
                """),
            word: "Failed", code: "ProgressDeadlineExceeded", messageContains: ["timed out"]),
        HealthCase(
            name: "crash-looping pod fails the deployment at once, naming pod, container and reason",
            object: deployment(status: """
                {"observedGeneration": 1, "replicas": 2, "updatedReplicas": 2, "readyReplicas": 1, "availableReplicas": 1}
                """),
            pods: [crashLoopPod],
            word: "Failed", code: "CrashLoopBackOff",
            messageContains: ["web-5c78f69c86-2r6n4", "nginx", "CrashLoopBackOff", "back-off"]),
        HealthCase(
            name: "image pull back-off",
            object: deployment(status: #"{"observedGeneration": 1, "replicas": 2, "updatedReplicas": 2}"#),
            pods: [webPod(status: """
                {"phase": "Pending", "containerStatuses": [{"name": "nginx", "ready": false, "restartCount": 0,
                  "state": {"waiting": {"reason": "ImagePullBackOff", "message": "Back-off pulling image \\"nginx:1.27x\\""}}}]}
                """)],
            word: "Failed", code: "ImagePullBackOff", messageContains: ["nginx:1.27x"]),
        HealthCase(
            name: "missing secret in env",
            object: deployment(status: #"{"observedGeneration": 1, "replicas": 2, "updatedReplicas": 2}"#),
            pods: [webPod(status: """
                {"phase": "Pending", "containerStatuses": [{"name": "nginx", "ready": false, "restartCount": 0,
                  "state": {"waiting": {"reason": "CreateContainerConfigError", "message": "secret \\"metadata-postgres\\" not found"}}}]}
                """)],
            word: "Failed", code: "CreateContainerConfigError", messageContains: ["metadata-postgres"]),
        HealthCase(
            name: "crash loop in another deployment's pod is not ours",
            object: deployment(status: availableStatus),
            pods: [webPod("api-1", labels: #"{"app": "api"}"#, status: """
                {"phase": "Running", "containerStatuses": [{"name": "api", "state": {"waiting": {"reason": "CrashLoopBackOff"}}}]}
                """)],
            word: "Current"),
        HealthCase(
            name: "crash loop in a same-labelled pod of another namespace is not ours",
            object: deployment(status: availableStatus),
            pods: [webPod(namespace: "other", status: """
                {"phase": "Running", "containerStatuses": [{"name": "nginx", "state": {"waiting": {"reason": "CrashLoopBackOff"}}}]}
                """)],
            word: "Current"),
        HealthCase(
            name: "unschedulable for longer than the grace period",
            object: deployment(status: #"{"observedGeneration": 1, "replicas": 2, "updatedReplicas": 2}"#),
            pods: [webPod(status: """
                {"phase": "Pending", "conditions": [{"type": "PodScheduled", "status": "False", "reason": "Unschedulable",
                  "lastTransitionTime": "2026-11-21T22:25:00Z",
                  "message": "0/3 nodes are available: 3 Insufficient memory."}]}
                """)],
            word: "Failed", code: "Unschedulable", messageContains: ["Insufficient memory", "web-5c78f69c86-2r6n4"]),
        HealthCase(
            name: "unschedulable for a moment is still in progress",
            object: deployment(status: #"{"observedGeneration": 1, "replicas": 2, "updatedReplicas": 2}"#),
            pods: [webPod(status: """
                {"phase": "Pending", "conditions": [{"type": "PodScheduled", "status": "False", "reason": "Unschedulable",
                  "lastTransitionTime": "2026-11-21T22:26:35Z", "message": "0/3 nodes are available."}]}
                """)],
            word: "InProgress", code: "LessAvailable"),
        HealthCase(
            name: "scaled to zero",
            object: deployment(replicas: 0, status: #"{"observedGeneration": 1}"#), word: "Current"),
        HealthCase(
            name: "being deleted",
            object: """
                {"apiVersion": "apps/v1", "kind": "Deployment",
                 "metadata": {"name": "web", "namespace": "ref", "deletionTimestamp": "2026-11-21T22:20:00Z",
                              "finalizers": ["foregroundDeletion"]}, "spec": {}, "status": {}}
                """,
            word: "InProgress", code: "Terminating", messageContains: ["foregroundDeletion"]),
    ]

    @Test(arguments: deploymentsTable)
    func deployments(_ row: HealthCase) throws { try row.check() }

    static func statefulSet(replicas: Int = 3, strategy: String = #"{"type": "RollingUpdate"}"#, status: String) -> String {
        """
        {"apiVersion": "apps/v1", "kind": "StatefulSet",
         "metadata": {"name": "opensearch", "namespace": "seldon-logs", "generation": 1},
         "spec": {"replicas": \(replicas), "serviceName": "opensearch",
                  "selector": {"matchExpressions": [{"key": "app.kubernetes.io/name", "operator": "In", "values": ["opensearch"]}]},
                  "updateStrategy": \(strategy),
                  "template": {"metadata": {"labels": {"app.kubernetes.io/name": "opensearch"}}, "spec": {"containers": [{"name": "opensearch"}]}}},
         "status": \(status)}
        """
    }

    static let statefulSetsTable: [HealthCase] = [
        HealthCase(
            name: "all ready, one revision",
            object: statefulSet(status: """
                {"observedGeneration": 1, "replicas": 3, "readyReplicas": 3, "currentReplicas": 3, "updatedReplicas": 3,
                 "currentRevision": "opensearch-6d5f", "updateRevision": "opensearch-6d5f", "availableReplicas": 3}
                """),
            word: "Current"),
        HealthCase(
            name: "second pod not ready",
            object: statefulSet(status: """
                {"observedGeneration": 1, "replicas": 2, "readyReplicas": 1, "currentReplicas": 2, "updatedReplicas": 2,
                 "currentRevision": "opensearch-6d5f", "updateRevision": "opensearch-6d5f"}
                """),
            word: "InProgress", code: "LessReady", messageContains: ["1/3"]),
        HealthCase(
            name: "rolling to a new revision",
            object: statefulSet(status: """
                {"observedGeneration": 1, "replicas": 3, "readyReplicas": 3, "currentReplicas": 3, "updatedReplicas": 3,
                 "currentRevision": "opensearch-6d5f", "updateRevision": "opensearch-7a1b"}
                """),
            word: "InProgress", code: "RevisionMismatch"),
        HealthCase(
            name: "partitioned update done above the partition",
            object: statefulSet(strategy: #"{"type": "RollingUpdate", "rollingUpdate": {"partition": 2}}"#, status: """
                {"observedGeneration": 1, "replicas": 3, "readyReplicas": 3, "currentReplicas": 2, "updatedReplicas": 1,
                 "currentRevision": "opensearch-6d5f", "updateRevision": "opensearch-7a1b"}
                """),
            word: "Current"),
        HealthCase(
            name: "OnDelete strategy ignores revisions",
            object: statefulSet(strategy: #"{"type": "OnDelete"}"#, status: """
                {"observedGeneration": 1, "replicas": 3, "readyReplicas": 3, "updatedReplicas": 0,
                 "currentRevision": "opensearch-6d5f", "updateRevision": "opensearch-7a1b"}
                """),
            word: "Current"),
        HealthCase(
            name: "no status yet",
            object: statefulSet(status: "{}"), word: "InProgress", code: "NoStatus"),
        HealthCase(
            name: "pod selected by matchExpressions is crash looping",
            object: statefulSet(status: #"{"observedGeneration": 1, "replicas": 1}"#),
            pods: [webPod("opensearch-0", labels: #"{"app.kubernetes.io/name": "opensearch"}"#, namespace: "seldon-logs", status: """
                {"phase": "Running", "initContainerStatuses": [{"name": "sysctl", "state": {"waiting": {"reason": "CrashLoopBackOff"}}}]}
                """)],
            word: "Failed", code: "CrashLoopBackOff", messageContains: ["opensearch-0", "sysctl"]),
    ]

    @Test(arguments: statefulSetsTable)
    func statefulSets(_ row: HealthCase) throws { try row.check() }

    static func daemonSet(_ status: String) -> String {
        """
        {"apiVersion": "apps/v1", "kind": "DaemonSet",
         "metadata": {"name": "node-exporter", "namespace": "seldon-system", "generation": 1},
         "spec": {"selector": {"matchLabels": {"app": "node-exporter"}}}, "status": \(status)}
        """
    }

    static let daemonSetsTable: [HealthCase] = [
        HealthCase(
            name: "on every node",
            object: daemonSet("""
                {"observedGeneration": 1, "desiredNumberScheduled": 3, "currentNumberScheduled": 3, "updatedNumberScheduled": 3,
                 "numberAvailable": 3, "numberReady": 3, "numberMisscheduled": 0}
                """),
            word: "Current"),
        HealthCase(
            name: "one node not yet updated",
            object: daemonSet("""
                {"observedGeneration": 1, "desiredNumberScheduled": 3, "updatedNumberScheduled": 2, "numberAvailable": 3, "numberReady": 3}
                """),
            word: "InProgress", code: "LessUpdated", messageContains: ["2/3"]),
        HealthCase(
            name: "one node not available",
            object: daemonSet("""
                {"observedGeneration": 1, "desiredNumberScheduled": 3, "updatedNumberScheduled": 3, "numberAvailable": 2, "numberReady": 2}
                """),
            word: "InProgress", code: "LessAvailable"),
        HealthCase(
            name: "no desired count yet",
            object: daemonSet(#"{"observedGeneration": 1}"#), word: "InProgress", code: "NoStatus"),
    ]

    @Test(arguments: daemonSetsTable)
    func daemonSets(_ row: HealthCase) throws { try row.check() }

    static func replicaSet(_ status: String) -> String {
        """
        {"apiVersion": "apps/v1", "kind": "ReplicaSet",
         "metadata": {"name": "web-5c78f69c86", "namespace": "ref", "generation": 1},
         "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web", "pod-template-hash": "5c78f69c86"}}},
         "status": \(status)}
        """
    }

    static let replicaSetsTable: [HealthCase] = [
        HealthCase(
            name: "reference capture: created, none ready",
            object: replicaSet(#"{"replicas": 2, "fullyLabeledReplicas": 2, "observedGeneration": 1}"#),
            word: "InProgress", code: "LessAvailable"),
        HealthCase(
            name: "all available",
            object: replicaSet("""
                {"replicas": 2, "fullyLabeledReplicas": 2, "readyReplicas": 2, "availableReplicas": 2, "observedGeneration": 1}
                """),
            word: "Current"),
        HealthCase(
            name: "quota stops pod creation",
            object: replicaSet("""
                {"replicas": 0, "observedGeneration": 1, "conditions": [{"type": "ReplicaFailure", "status": "True",
                 "reason": "FailedCreate", "message": "pods \\"web-5c78f69c86-x\\" is forbidden: exceeded quota"}]}
                """),
            word: "InProgress", code: "FailedCreate", messageContains: ["exceeded quota"]),
        HealthCase(
            name: "its crash-looping pod",
            object: replicaSet(#"{"replicas": 2, "fullyLabeledReplicas": 2, "observedGeneration": 1}"#),
            pods: [crashLoopPod], word: "Failed", code: "CrashLoopBackOff"),
    ]

    @Test(arguments: replicaSetsTable)
    func replicaSets(_ row: HealthCase) throws { try row.check() }

    static let podsTable: [HealthCase] = [
        HealthCase(
            name: "reference capture: pending without a node",
            object: webPod(status: #"{"phase": "Pending", "qosClass": "BestEffort"}"#),
            word: "InProgress", code: "PodNotReady", messageContains: ["Pending"]),
        HealthCase(
            name: "ready",
            object: webPod(status: """
                {"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}, {"type": "PodScheduled", "status": "True"}]}
                """),
            word: "Current"),
        HealthCase(name: "crash looping", object: crashLoopPod, word: "Failed", code: "CrashLoopBackOff"),
        HealthCase(
            name: "bad image name",
            object: webPod(status: """
                {"phase": "Pending", "containerStatuses": [{"name": "nginx", "state": {"waiting": {"reason": "ErrImagePull", "message": "rpc error: not found"}}}]}
                """),
            word: "Failed", code: "ErrImagePull", messageContains: ["not found"]),
        HealthCase(
            name: "container still creating is fine",
            object: webPod(status: """
                {"phase": "Pending", "containerStatuses": [{"name": "nginx", "state": {"waiting": {"reason": "ContainerCreating"}}}]}
                """),
            word: "InProgress", code: "PodNotReady"),
        HealthCase(
            name: "succeeded",
            object: webPod(status: #"{"phase": "Succeeded"}"#), word: "Current"),
        HealthCase(
            name: "evicted",
            object: webPod(status: #"{"phase": "Failed", "reason": "Evicted", "message": "The node was low on resource: memory."}"#),
            word: "Failed", code: "Evicted", messageContains: ["low on resource"]),
        HealthCase(
            name: "unschedulable past the grace period",
            object: webPod(status: """
                {"phase": "Pending", "conditions": [{"type": "PodScheduled", "status": "False", "reason": "Unschedulable",
                  "lastTransitionTime": "2026-11-21T22:00:00Z", "message": "0/1 nodes are available: 1 node(s) had untolerated taint."}]}
                """),
            word: "Failed", code: "Unschedulable", messageContains: ["untolerated taint"]),
        HealthCase(
            name: "unschedulable just now",
            object: webPod(status: """
                {"phase": "Pending", "conditions": [{"type": "PodScheduled", "status": "False", "reason": "Unschedulable",
                  "lastTransitionTime": "2026-11-21T22:26:39Z", "message": "0/1 nodes are available."}]}
                """),
            word: "InProgress", code: "Unschedulable"),
    ]

    @Test(arguments: podsTable)
    func pods(_ row: HealthCase) throws { try row.check() }
}
