import Foundation
import Testing

/// Real kubectl (v1.32) against `seldon-operator sandbox` over HTTPS with the generated kubeconfig:
/// every item of the Sandbox issue's "Done when" list.
@Suite(.enabled(if: SandboxSession.kubectlAvailable, "needs /usr/bin/kubectl"))
struct SandboxKubectlTests {
    static let namespace = """
        apiVersion: v1
        kind: Namespace
        metadata:
          name: demo
          labels:
            team: platform
        """

    static func crdAndWidget(color: String) throws -> String {
        let crd = try String(contentsOf: CLI.shared.appendingPathComponent("kube-reference/manifests/widget-crd.yaml"), encoding: .utf8)
        return crd + """

            ---
            apiVersion: ref.example.com/v1
            kind: Widget
            metadata:
              name: w1
              namespace: demo
            spec:
              size: 3
              color: \(color)
            """
    }

    @Test func namespacesCreateApplyAndDiscovery() async throws {
        let session = try await SandboxSession()
        defer { session.stop() }
        let file = try session.write("ns.yaml", Self.namespace)
        let created = try await session.kubectl(["create", "-f", file])
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stdout == "namespace/demo created\n")
        let applied = try await session.kubectl(["apply", "-f", file])
        #expect(applied.status == 0, "\(applied.stderr)")
        #expect(applied.stdout == "namespace/demo configured\n")
        let json = try await session.kubectl(["get", "namespace", "demo", "-o", "json"])
        #expect(json.status == 0)
        #expect(json.stdout.contains("\"kubernetes.io/metadata.name\": \"demo\""))
        #expect(json.stdout.contains("\"phase\": \"Active\""))
        let table = try await session.kubectl(["get", "ns"])
        #expect(table.stdout.hasPrefix("NAME"))
        #expect(table.stdout.contains("demo") && table.stdout.contains("Active"))
        let resources = try await session.kubectl(["api-resources"])
        #expect(resources.status == 0)
        #expect(resources.stdout.contains("deployments") && resources.stdout.contains("apps/v1"))
        #expect(resources.stdout.contains("customresourcedefinitions") && resources.stdout.contains("crd,crds"))
    }

    @Test func serverSideApplyOfACRDAndItsResourceThenConflicts() async throws {
        let session = try await SandboxSession()
        defer { session.stop() }
        try await session.kubectl(["create", "-f", try session.write("ns.yaml", Self.namespace)])
        let bundle = try session.write("bundle.yaml", try Self.crdAndWidget(color: "blue"))
        // Like a real server with a cold cache, the first run applies the CRD but cannot map the Widget yet.
        let first = try await session.kubectl(["apply", "--server-side", "-f", bundle])
        #expect(first.stdout.contains("customresourcedefinition.apiextensions.k8s.io/widgets.ref.example.com serverside-applied"))
        let established = try await session.kubectl(["wait", "--for=condition=Established", "crd/widgets.ref.example.com", "--timeout=20s"])
        #expect(established.status == 0, "\(established.stderr)")
        #expect(established.stdout.contains("condition met"))
        let second = try await session.kubectl(["apply", "--server-side", "-f", bundle])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("widget.ref.example.com/w1 serverside-applied"))
        let crds = try await session.kubectl(["get", "crd"])
        #expect(crds.stdout.contains("widgets.ref.example.com"))
        let widget = try await session.kubectl(["get", "widgets", "-n", "demo"])
        #expect(widget.stdout.contains("SIZE") && widget.stdout.contains("COLOR") && widget.stdout.contains("blue"))
        let json = try await session.kubectl(["get", "widget", "w1", "-n", "demo", "-o", "json"])
        #expect(json.stdout.contains("\"size\": 3"))

        let other = try session.write("other.yaml", """
            apiVersion: ref.example.com/v1
            kind: Widget
            metadata:
              name: w1
              namespace: demo
            spec:
              size: 3
              color: red
            """)
        let conflict = try await session.kubectl(["apply", "--server-side", "-f", other, "--field-manager=other"])
        #expect(conflict.status != 0)
        #expect(conflict.stderr.contains("Apply failed with 1 conflict: conflict with \"kubectl\": .spec.color"))
        let forced = try await session.kubectl(["apply", "--server-side", "-f", other, "--field-manager=other", "--force-conflicts"])
        #expect(forced.status == 0, "\(forced.stderr)")
        let color = try await session.kubectl(["get", "widget", "w1", "-n", "demo", "-o", "jsonpath={.spec.color}"])
        #expect(color.stdout == "red")
        let managers = try await session.kubectl(["get", "widget", "w1", "-n", "demo", "--show-managed-fields", "-o", "jsonpath={.metadata.managedFields[*].manager}"])
        #expect(managers.stdout == "kubectl other")
    }

    @Test func deploymentsBecomeAvailable() async throws {
        let session = try await SandboxSession()
        defer { session.stop() }
        let manifest = try session.write("web.yaml", """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              namespace: default
            spec:
              replicas: 2
              selector:
                matchLabels: {app: web}
              template:
                metadata:
                  labels: {app: web}
                spec:
                  containers:
                  - name: web
                    image: nginx:1.27
            """)
        #expect(try await session.kubectl(["apply", "-f", manifest]).status == 0)
        let wait = try await session.kubectl(["wait", "--for=condition=Available", "deployment/web", "--timeout=30s"])
        #expect(wait.status == 0, "\(wait.stderr)")
        #expect(wait.stdout == "deployment.apps/web condition met\n")
        let rollout = try await session.kubectl(["rollout", "status", "deployment/web", "--timeout=30s"])
        #expect(rollout.stdout.contains("successfully rolled out"))
        let pods = try await session.kubectl(["get", "pods", "-l", "app=web", "-o", "name"])
        #expect(pods.stdout.split(separator: "\n").count == 2)
        let patched = try await session.kubectl(["patch", "deployment", "web", "-p", #"{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.28"}]}}}}"#])
        #expect(patched.status == 0, "\(patched.stderr)")
        let scaled = try await session.kubectl(["scale", "deployment", "web", "--replicas=3"])
        #expect(scaled.status == 0, "\(scaled.stderr)")
        #expect(try await session.kubectl(["wait", "--for=jsonpath={.status.availableReplicas}=3", "deployment/web", "--timeout=30s"]).status == 0)
    }

    @Test func finalizersHoldDeletionUntilRemoved() async throws {
        let session = try await SandboxSession()
        defer { session.stop() }
        let manifest = try session.write("held.yaml", """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: held
              namespace: default
              finalizers: [example.com/hold]
            data: {a: "1"}
            """)
        #expect(try await session.kubectl(["create", "-f", manifest]).status == 0)
        let deleted = try await session.kubectl(["delete", "configmap", "held", "--wait=false"])
        #expect(deleted.stdout == "configmap \"held\" deleted\n")
        let timestamp = try await session.kubectl(["get", "configmap", "held", "-o", "jsonpath={.metadata.deletionTimestamp}"])
        #expect(timestamp.status == 0)
        #expect(!timestamp.stdout.isEmpty, "the object stays, marked for deletion")
        let patched = try await session.kubectl(["patch", "configmap", "held", "--type", "merge", "-p", #"{"metadata":{"finalizers":null}}"#])
        #expect(patched.status == 0, "\(patched.stderr)")
        let gone = try await session.kubectl(["wait", "--for=delete", "configmap/held", "--timeout=10s"])
        #expect(gone.status == 0, "\(gone.stderr)")
        let missing = try await session.kubectl(["get", "configmap", "held"])
        #expect(missing.stderr.contains("configmaps \"held\" not found"))
    }

    @Test func getWatchReceivesEvents() async throws {
        let session = try await SandboxSession()
        defer { session.stop() }
        func create(_ name: String) async throws {
            let file = try session.write("\(name).yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \(name)\n")
            #expect(try await session.kubectl(["create", "-f", file]).status == 0)
        }
        try await create("first")
        let watcher = try session.watch(["get", "configmaps", "-n", "default", "--watch", "-o", "name"])
        // kubectl lists, then watches from the list's resourceVersion: once the list is printed,
        // anything created can only arrive as a watch event.
        #expect(try await watcher.wait { $0.contains("configmap/first") }, "the initial list: \(watcher.output.text)")
        try await create("second")
        #expect(try await watcher.wait { $0.contains("configmap/second") }, "the watch event: \(watcher.output.text)")
        let output = await watcher.stop()
        #expect(output.components(separatedBy: "configmap/first").count == 2, "first is listed once: \(output)")
    }

    @Test func explainShowsBuiltInFields() async throws {
        let session = try await SandboxSession()
        defer { session.stop() }
        let deployment = try await session.kubectl(["explain", "deployment"])
        #expect(deployment.status == 0, "\(deployment.stderr)")
        #expect(deployment.stdout.contains("KIND:       Deployment"))
        #expect(deployment.stdout.contains("spec\t<DeploymentSpec>"), "\(deployment.stdout)")
        let spec = try await session.kubectl(["explain", "deployment.spec"])
        #expect(spec.stdout.contains("replicas\t<integer>"), "\(spec.stdout)")
        #expect(spec.stdout.contains("selector\t<LabelSelector> -required-"))
        #expect(spec.stdout.contains("Number of desired pods."))
        let containers = try await session.kubectl(["explain", "deployment.spec.template.spec.containers.image"])
        #expect(containers.status == 0, "\(containers.stderr)")
        #expect(containers.stdout.contains("FIELD: image <string>"), "\(containers.stdout)")
        let service = try await session.kubectl(["explain", "service.spec.ports"])
        #expect(service.stdout.contains("targetPort\t<IntOrString>"), "\(service.stdout)")
    }

    @Test func largeAnswersReachKubectlGzipped() async throws {
        let session = try await SandboxSession()
        defer { session.stop() }
        let blob = String(repeating: "x", count: 150 * 1024)
        let manifest = try session.write("big.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\n  namespace: default\ndata:\n  blob: \(blob)\n")
        #expect(try await session.kubectl(["create", "-f", manifest]).status == 0)
        // Go's transport always asks for gzip and decodes it before kubectl's own logging sees
        // the headers, so what shows is that the compressed answer decodes to the object.
        let read = try await session.kubectl(["get", "configmap", "big", "-o", "jsonpath={.data.blob}"])
        #expect(read.status == 0, "\(read.stderr)")
        #expect(read.stdout == blob)
    }

    @Test func generatorSubcommandsGetAnExplanatory415() async throws {
        let session = try await SandboxSession()
        defer { session.stop() }
        let commands = [
            ["create", "namespace", "generated"],
            ["create", "deployment", "generated", "--image=nginx:1.27"],
            ["create", "configmap", "generated", "--from-literal=a=1"],
            ["auth", "can-i", "create", "deployments"],
        ]
        for command in commands {
            let result = try await session.kubectl(command)
            #expect(result.status != 0, "\(command)")
            #expect(result.stderr.contains("does not decode protobuf bodies"), "\(command): \(result.stderr)")
            #expect(result.stderr.contains("kubectl create -f"), "\(command): \(result.stderr)")
        }
        let stored = try await session.kubectl(["get", "namespace,deployment,configmap", "-A", "-o", "name"])
        #expect(!stored.stdout.contains("generated"), "nothing was created: \(stored.stdout)")
    }

    @Test func stopEndsTheBackgroundSandbox() async throws {
        let session = try await SandboxSession()
        defer { try? FileManager.default.removeItem(at: session.directory) }
        #expect(try await session.kubectl(["get", "ns"]).status == 0)
        let stopped = try await CLI.run(["sandbox", "stop", "--kubeconfig", session.kubeconfig.path])
        #expect(stopped.status == 0, "\(stopped.stderr)")
        let deadline = Date().addingTimeInterval(60)
        var answered = true
        while answered, Date() < deadline {
            answered = try await session.kubectl(["get", "ns", "--request-timeout=1s"]).status == 0
        }
        #expect(!answered, "the Sandbox still answers after stop")
    }
}
