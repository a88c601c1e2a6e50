import Foundation
import Testing
import Unstructured
@testable import KubeClient

/// Kubeconfig reading, merging and every auth path, on real files in a temporary folder.
@Suite("Kubeconfig")
struct KubeconfigTests {
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appending(path: "kubeconfig-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    @discardableResult
    private func write(_ name: String, _ text: String) throws -> String {
        let path = folder.appending(path: name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func loader(_ environment: [String: String]) -> KubeconfigLoader {
        KubeconfigLoader(environment: environment, inCluster: InClusterConfig(folder: folder.appending(path: "no-sa").path))
    }

    @Test func mergesKubeconfigFilesFirstWriterWins() throws {
        let first = try write("first", """
            clusters:
            - {name: shared, cluster: {server: "https://first.example"}}
            users:
            - {name: me, user: {token: first-token}}
            contexts:
            - {name: dev, context: {cluster: shared, user: me, namespace: team-a}}
            """)
        let second = try write("second", """
            current-context: dev
            clusters:
            - {name: shared, cluster: {server: "https://second.example"}}
            - {name: other, cluster: {server: "https://other.example"}}
            contexts:
            - {name: dev, context: {cluster: other, user: me}}
            - {name: prod, context: {cluster: other, user: me}}
            """)
        let environment = ["KUBECONFIG": "\(first):\(folder.path)/missing:\(second)"]
        let merged = try loader(environment).load()
        #expect(merged.files == [first, second])
        #expect(merged.currentContext == "dev")
        #expect(merged.clusters["shared"]?.server == "https://first.example")
        #expect(merged.clusters["other"]?.server == "https://other.example")
        #expect(merged.contexts["dev"]?.cluster == "shared")
        #expect(merged.contexts.count == 2)

        let configuration = try loader(environment).configuration()
        #expect(configuration.server == "https://first.example")
        #expect(configuration.namespace == "team-a")
        let prod = try loader(environment).configuration(overrides: KubeconfigOverrides(context: "prod", namespace: "ops"))
        #expect(prod.server == "https://other.example")
        #expect(prod.namespace == "ops")
    }

    @Test func theExplicitFileMustExist() throws {
        let error = #expect(throws: KubeconfigError.self) {
            try loader([:]).load(explicit: folder.appending(path: "absent").path)
        }
        #expect(error?.message == "file not found")
    }

    @Test func errorsNameTheFileAndTheField() throws {
        let file = try write("broken", """
            clusters:
            - {name: c, cluster: {server: "https://c.example", insecure-skip-tls-verify: "yes please"}}
            """)
        let error = #expect(throws: KubeconfigError.self) { try KubeconfigLoader.read(file: file) }
        #expect(error?.file == file)
        #expect(error?.field == "clusters[0].cluster.insecure-skip-tls-verify")

        let syntax = try write("syntax", "clusters: [unclosed\n")
        let yamlError = #expect(throws: KubeconfigError.self) { try KubeconfigLoader.read(file: syntax) }
        #expect(yamlError?.description.contains(syntax) == true)

        let missingContext = try write("context", "current-context: nowhere\n")
        let contextError = #expect(throws: KubeconfigError.self) { try loader([:]).configuration(explicit: missingContext) }
        #expect(contextError?.message.contains("context \"nowhere\" not found") == true)
    }

    @Test func relativePathsResolveAgainstTheKubeconfigFolder() throws {
        try FileManager.default.createDirectory(at: folder.appending(path: "pki"), withIntermediateDirectories: true)
        try write("pki/ca.crt", "CA PEM")
        try write("pki/client.crt", "CERT PEM")
        try write("pki/client.key", "KEY PEM")
        let file = try write("config", """
            current-context: c
            clusters:
            - {name: c, cluster: {server: "https://c.example", certificate-authority: pki/ca.crt, tls-server-name: api.internal, proxy-url: "http://proxy:3128"}}
            users:
            - {name: u, user: {client-certificate: pki/client.crt, client-key: pki/client.key}}
            contexts:
            - {name: c, context: {cluster: c, user: u}}
            """)
        let configuration = try loader([:]).configuration(explicit: file)
        #expect(configuration.security.certificateAuthorityPEM == Array("CA PEM".utf8))
        #expect(configuration.security.serverName == "api.internal")
        #expect(configuration.security.proxyURL == "http://proxy:3128")
        #expect(configuration.namespace == "default")
    }

    @Test func anUnreadableReferencedFileIsNamed() throws {
        let file = try write("config", """
            current-context: c
            clusters:
            - {name: c, cluster: {server: "https://c.example", certificate-authority: nowhere/ca.crt}}
            contexts:
            - {name: c, context: {cluster: c}}
            """)
        let error = #expect(throws: KubeconfigError.self) { try loader([:]).configuration(explicit: file) }
        #expect(error?.field == "clusters[c].cluster.certificate-authority")
        #expect(error?.message.contains("\(folder.path)/nowhere/ca.crt") == true)
    }

    private func credential(user: String) async throws -> Credential {
        let file = try write("user-\(UUID().uuidString)", """
            current-context: c
            clusters:
            - {name: c, cluster: {server: "https://c.example"}}
            users:
            - name: u
              user:
                \(user)
            contexts:
            - {name: c, context: {cluster: c, user: u}}
            """)
        let configuration = try loader(ProcessInfo.processInfo.environment).configuration(explicit: file)
        return try await configuration.credentials.credential(refresh: false)
    }

    @Test func tokenBasicAndClientCertificateData() async throws {
        #expect(try await credential(user: "token: abc").authorization == "Bearer abc")
        let basic = try await credential(user: "{username: admin, password: secret}")
        #expect(basic.authorization == "Basic " + Data("admin:secret".utf8).base64EncodedString())
        let pem = Data("PEM".utf8).base64EncodedString()
        let certificate = try await credential(user: "{client-certificate-data: \(pem), client-key-data: \(pem)}")
        #expect(certificate.clientCertificate == ClientCertificate(certificatePEM: Array("PEM".utf8), keyPEM: Array("PEM".utf8)))
    }

    @Test func aTokenFileIsReReadWhenRotated() async throws {
        let tokenPath = try write("token", "first\n")
        let file = try write("config", """
            current-context: c
            clusters:
            - {name: c, cluster: {server: "https://c.example"}}
            users:
            - {name: u, user: {tokenFile: token}}
            contexts:
            - {name: c, context: {cluster: c, user: u}}
            """)
        let source = try loader([:]).configuration(explicit: file).credentials
        #expect(try await source.credential(refresh: false).authorization == "Bearer first")
        try "second".write(toFile: tokenPath, atomically: true, encoding: .utf8)
        #expect(try await source.credential(refresh: true).authorization == "Bearer second")
    }

    @Test func authProviderIsRefusedWithAWayOut() async throws {
        let error = await #expect(throws: KubeconfigError.self) {
            try await credential(user: "auth-provider: {name: gcp}")
        }
        #expect(error?.message.contains("not supported; use an exec plugin") == true)
    }

    @Test func execPluginV1Beta1AndItsFailures() async throws {
        let plugin = URL(filePath: #filePath).deletingLastPathComponent().appending(path: "Fixtures/exec-plugin.sh").path
        let runs = folder.appending(path: "runs").path
        let user = """
            exec:
                  apiVersion: client.authentication.k8s.io/v1beta1
                  command: \(plugin)
                  env:
                  - {name: PLUGIN_RUNS, value: \(runs)}
                  - {name: PLUGIN_TOKEN, value: from-plugin}
                  - {name: PLUGIN_API_VERSION, value: client.authentication.k8s.io/v1beta1}
                  - {name: PLUGIN_EXPIRES, value: "2000-01-01T00:00:00Z"}
            """
        #expect(try await credential(user: user).authorization == "Bearer from-plugin")

        let wrongVersion = user.replacingOccurrences(of: "value: client.authentication.k8s.io/v1beta1", with: "value: other/v1")
        let mismatch = await #expect(throws: KubeconfigError.self) { try await credential(user: wrongVersion) }
        #expect(mismatch?.message.contains("apiVersion other/v1") == true)

        let missing = """
            exec: {apiVersion: client.authentication.k8s.io/v1, command: no-such-plugin-here, interactiveMode: Never, installHint: "install it with apt"}
            """
        let notFound = await #expect(throws: KubeconfigError.self) { try await credential(user: missing) }
        #expect(notFound?.message.contains("install it with apt") == true)

        let noMode = "exec: {apiVersion: client.authentication.k8s.io/v1, command: x}"
        let modeError = await #expect(throws: KubeconfigError.self) { try await credential(user: noMode) }
        #expect(modeError?.field == "users[0].user.exec.interactiveMode")
    }

    @Test func anExpiredExecCredentialRunsThePluginAgain() async throws {
        let plugin = URL(filePath: #filePath).deletingLastPathComponent().appending(path: "Fixtures/exec-plugin.sh").path
        let runs = folder.appending(path: "runs").path
        let config = ExecConfig(file: "test", field: "users[0].user.exec", apiVersion: "client.authentication.k8s.io/v1",
                                command: plugin, args: [],
                                env: [("PLUGIN_RUNS", runs), ("PLUGIN_TOKEN", "t"),
                                      ("PLUGIN_API_VERSION", "client.authentication.k8s.io/v1"),
                                      ("PLUGIN_EXPIRES", "2000-01-01T00:00:00Z")],
                                installHint: nil, provideClusterInfo: false, interactiveMode: .never)
        let source = ExecCredentialPlugin(config: config, environment: ProcessInfo.processInfo.environment)
        _ = try await source.credential(refresh: false)
        _ = try await source.credential(refresh: false)
        let count = try String(contentsOfFile: runs, encoding: .utf8).split(separator: "\n").count
        #expect(count == 2)
    }

    @Test func inClusterConfigFromTheServiceAccountFolder() async throws {
        let account = folder.appending(path: "sa")
        try FileManager.default.createDirectory(at: account, withIntermediateDirectories: true)
        try "sa-token".write(to: account.appending(path: "token"), atomically: true, encoding: .utf8)
        try "CA".write(to: account.appending(path: "ca.crt"), atomically: true, encoding: .utf8)
        try "operators".write(to: account.appending(path: "namespace"), atomically: true, encoding: .utf8)
        let loader = KubeconfigLoader(environment: ["KUBERNETES_SERVICE_HOST": "10.0.0.1", "KUBERNETES_SERVICE_PORT": "443"],
                                      inCluster: InClusterConfig(folder: account.path))
        let configuration = try loader.configuration()
        #expect(configuration.server == "https://10.0.0.1:443")
        #expect(configuration.namespace == "operators")
        #expect(configuration.security.certificateAuthorityPEM == Array("CA".utf8))
        #expect(try await configuration.credentials.credential(refresh: false).authorization == "Bearer sa-token")
    }
}

@Suite("Status errors and framing")
struct StatusDecodingTests {
    private func reference(_ name: String) throws -> Value {
        let path = URL(filePath: #filePath).deletingLastPathComponent().appending(path: "../../../shared/kube-reference/responses/\(name).json")
        return try JSON.parse(String(contentsOf: path, encoding: .utf8))["response"]
    }

    @Test(arguments: [
        ("err-404-get", APIError.Reason.notFound), ("err-409-alreadyexists", .alreadyExists),
        ("err-409-conflict-stale-rv", .conflict), ("err-422-widget-multiple", .invalid), ("err-401-bad-token", .unauthorized),
        ("err-403-forbidden-impersonated", .forbidden), ("ssa-conflict-409", .conflict), ("list-too-old-rv-exact", .gone),
        ("list-rv-notolderthan-future", .serverTimeout), ("err-400-bad-json", .badRequest), ("err-415-patch-content-type", .unsupported),
    ])
    func decodesTheReferenceStatus(name: String, reason: APIError.Reason) throws {
        let response = try reference(name)
        let error = APIError(code: response["status"].intValue ?? 0, status: response["body"], fallbackMessage: "",
                             retryAfterHeader: nil, request: "GET /x")
        #expect(error.reason == reason)
        #expect(error.message == response["body"]["message"].stringValue)
    }

    @Test func invalidKeepsEachCause() throws {
        let response = try reference("err-422-widget-multiple")
        let error = APIError(code: 422, status: response["body"], fallbackMessage: "", retryAfterHeader: nil, request: "POST /x")
        #expect(error.causes.count == 2)
        #expect(error.causes.allSatisfy { !$0.field.isEmpty })
    }

    @Test func theTooOldWatchIsAnErrorEventOf410() throws {
        let raw = try reference("watch-too-old-rv")["rawBodyWithChunkFraming"].stringValue ?? ""
        // Strip the chunk framing: size lines and CRLFs, leaving the event line.
        let line = raw.split(separator: "\r\n").first { $0.hasPrefix("{") }.map(String.init) ?? ""
        var framer = LineFramer()
        let lines = framer.append(Array((line + "\n").utf8))
        let event = try WatchEvent(line: try #require(lines.first), request: "GET /watch")
        guard case let .error(error) = event else { Issue.record("expected an ERROR event"); return }
        #expect(error.reason == .gone)
        #expect(error.code == 410)
    }

    @Test func webhookDenialIsRecognised() {
        let status: Value = ["kind": "Status", "code": 400, "reason": "BadRequest",
                             "message": "admission webhook \"validate.seldon.io\" denied the request: replicas must be positive"]
        let error = APIError(code: 400, status: status, fallbackMessage: "", retryAfterHeader: "3", request: "POST /x")
        #expect(error.reason == .webhookDenied(webhook: "validate.seldon.io"))
        #expect(error.retryAfter == .seconds(3))
    }

    @Test func framingIgnoresChunkBoundaries() {
        var framer = LineFramer()
        #expect(framer.append(Array("{\"a\":".utf8)).isEmpty)
        #expect(framer.append(Array("1}\n{\"b\"".utf8)).count == 1)
        #expect(!framer.isEmpty)
        #expect(framer.append(Array(":2}\n".utf8)).count == 1)
        #expect(framer.isEmpty)
    }

    @Test func redactionHidesSecretDataAndTokens() {
        let secret: Value = ["kind": "Secret", "data": ["password": "aHVudGVyMg=="], "stringData": ["x": "y"],
                             "metadata": ["name": "db"]]
        let redacted = JSON.string(Redaction.redact(secret))
        #expect(!redacted.contains("aHVudGVyMg=="))
        #expect(!redacted.contains("\"y\""))
        #expect(redacted.contains("\"db\""))
        let patch: Value = ["data": ["k": "dmFsdWU="]]
        #expect(!JSON.string(Redaction.redact(patch, secretPayload: true)).contains("dmFsdWU="))
    }
}
