import Unstructured

/// The contents of one or more kubeconfig files: named clusters, users and contexts, and
/// the current context. Paths inside are already absolute (resolved against the file that
/// named them), and every entry remembers its file, so merging loses no provenance.
public struct Kubeconfig: Sendable {
    /// The files this config was read from, in precedence order.
    public var files: [String]
    public var currentContext: String?
    public var clusters: [String: Cluster] = [:]
    public var users: [String: User] = [:]
    public var contexts: [String: Context] = [:]

    public struct Cluster: Sendable, Equatable {
        public var file: String
        public var server: String?
        public var certificateAuthority: String?
        public var certificateAuthorityData: [UInt8]?
        public var insecureSkipTLSVerify: Bool
        public var tlsServerName: String?
        public var proxyURL: String?
    }

    public struct User: Sendable, Equatable {
        public var file: String
        public var clientCertificate: String?
        public var clientCertificateData: [UInt8]?
        public var clientKey: String?
        public var clientKeyData: [UInt8]?
        public var token: String?
        public var tokenFile: String?
        public var username: String?
        public var password: String?
        public var exec: ExecConfig?
        /// The name of a legacy `auth-provider` (gcp, azure, oidc); kept only to refuse it clearly.
        public var authProvider: String?
    }

    public struct Context: Sendable, Equatable {
        public var file: String
        public var cluster: String
        public var user: String?
        public var namespace: String?
    }

    public init(files: [String] = []) {
        self.files = files
    }
}

/// A `users[].user.exec` entry: a credential plugin (client.authentication.k8s.io).
public struct ExecConfig: Sendable, Equatable {
    public enum InteractiveMode: String, Sendable {
        case never = "Never", ifAvailable = "IfAvailable", always = "Always"
    }

    public var file: String
    /// Where in the file the entry is, for error messages (`users[0].user.exec`).
    public var field: String
    public var apiVersion: String
    public var command: String
    public var args: [String]
    public var env: [(name: String, value: String)]
    public var installHint: String?
    public var provideClusterInfo: Bool
    public var interactiveMode: InteractiveMode

    public static func == (lhs: ExecConfig, rhs: ExecConfig) -> Bool {
        lhs.file == rhs.file && lhs.field == rhs.field && lhs.apiVersion == rhs.apiVersion && lhs.command == rhs.command
            && lhs.args == rhs.args && lhs.env.elementsEqual(rhs.env, by: { $0 == $1 })
            && lhs.installHint == rhs.installHint && lhs.provideClusterInfo == rhs.provideClusterInfo
            && lhs.interactiveMode == rhs.interactiveMode
    }

    static let supportedVersions = ["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"]
}

// MARK: - Reading one file

extension Kubeconfig {
    /// Reads a kubeconfig already parsed from YAML. `file` names the file in errors and is
    /// the base for relative paths.
    public init(parsed value: Value, file: String) throws(KubeconfigError) {
        self.init(files: [file])
        let root = FieldReader(value, file: file)
        switch value {
        case .map: break
        case .null: return  // an empty file is an empty config, as for kubectl
        default: throw KubeconfigError(file: file, field: "", message: "expected a map at the top level, found \(value.kindName)")
        }
        currentContext = try root.string("current-context")
        for entry in try root.list("clusters") {
            let name = try entry.requiredString("name")
            guard let body = try entry.map("cluster") else { throw entry.error("cluster", "missing") }
            if clusters[name] == nil { clusters[name] = try Cluster(body) }
        }
        for entry in try root.list("users") {
            let name = try entry.requiredString("name")
            guard let body = try entry.map("user") else { throw entry.error("user", "missing") }
            if users[name] == nil { users[name] = try User(body) }
        }
        for entry in try root.list("contexts") {
            let name = try entry.requiredString("name")
            guard let body = try entry.map("context") else { throw entry.error("context", "missing") }
            if contexts[name] == nil { contexts[name] = try Context(body) }
        }
    }

    /// Merges configs the way kubectl merges the files of `KUBECONFIG`: the first file to
    /// define a cluster, user or context name wins, and so does the first current-context.
    public static func merging(_ configs: [Kubeconfig]) -> Kubeconfig {
        var merged = Kubeconfig(files: configs.flatMap(\.files))
        for config in configs {
            if merged.currentContext == nil { merged.currentContext = config.currentContext }
            merged.clusters.merge(config.clusters) { first, _ in first }
            merged.users.merge(config.users) { first, _ in first }
            merged.contexts.merge(config.contexts) { first, _ in first }
        }
        return merged
    }
}

extension Kubeconfig.Cluster {
    init(_ reader: FieldReader) throws(KubeconfigError) {
        file = reader.file
        server = try reader.string("server")
        certificateAuthority = try reader.path("certificate-authority")
        certificateAuthorityData = try reader.base64("certificate-authority-data")
        insecureSkipTLSVerify = try reader.bool("insecure-skip-tls-verify")
        tlsServerName = try reader.string("tls-server-name")
        proxyURL = try reader.string("proxy-url")
    }
}

extension Kubeconfig.User {
    init(_ reader: FieldReader) throws(KubeconfigError) {
        file = reader.file
        clientCertificate = try reader.path("client-certificate")
        clientCertificateData = try reader.base64("client-certificate-data")
        clientKey = try reader.path("client-key")
        clientKeyData = try reader.base64("client-key-data")
        token = try reader.string("token")
        tokenFile = try reader.path("tokenFile")
        username = try reader.string("username")
        password = try reader.string("password")
        exec = nil
        if let execReader = try reader.map("exec") { exec = try ExecConfig(execReader) }
        authProvider = nil
        if let provider = try reader.map("auth-provider") { authProvider = try provider.string("name") ?? "unnamed" }
    }
}

extension Kubeconfig.Context {
    init(_ reader: FieldReader) throws(KubeconfigError) {
        file = reader.file
        cluster = try reader.requiredString("cluster")
        user = try reader.string("user")
        namespace = try reader.string("namespace")
    }
}

extension ExecConfig {
    init(_ reader: FieldReader) throws(KubeconfigError) {
        file = reader.file
        field = reader.path
        apiVersion = try reader.requiredString("apiVersion")
        guard Self.supportedVersions.contains(apiVersion) else {
            throw reader.error("apiVersion", "\(apiVersion) is not supported; use one of \(Self.supportedVersions.joined(separator: ", "))")
        }
        let named = try reader.requiredString("command")
        // kubectl resolves a command with a path separator against the kubeconfig's folder;
        // a bare name is looked up on PATH when the plugin runs.
        command = named.contains("/") ? reader.resolve(named) : named
        args = try reader.strings("args")
        env = try reader.list("env").map { entry throws(KubeconfigError) in
            (name: try entry.requiredString("name"), value: try entry.string("value") ?? "")
        }
        installHint = try reader.string("installHint")
        provideClusterInfo = try reader.bool("provideClusterInfo")
        if let mode = try reader.string("interactiveMode") {
            guard let known = InteractiveMode(rawValue: mode) else {
                throw reader.error("interactiveMode", "expected Never, IfAvailable or Always, found \"\(mode)\"")
            }
            interactiveMode = known
        } else if apiVersion.hasSuffix("/v1") {
            throw reader.error("interactiveMode", "required for \(apiVersion) (Never, IfAvailable or Always)")
        } else {
            interactiveMode = .ifAvailable
        }
    }
}
