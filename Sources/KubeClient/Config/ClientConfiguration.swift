import FoundationEssentials
import Unstructured

/// Everything needed to talk to one cluster as one user: the result of choosing a context
/// in a kubeconfig, or of running inside a Pod.
public struct ClientConfiguration: Sendable {
    /// The API server's base URL, without a trailing slash.
    public var server: String
    public var security: TransportSecurity
    public var credentials: any CredentialSource
    /// The namespace commands use when none is given: the context's, or the Pod's.
    public var namespace: String
    /// Where this came from (`context "kind-dev" of /home/me/.kube/config`, `in-cluster`), for messages.
    public var origin: String

    public init(server: String, security: TransportSecurity, credentials: any CredentialSource,
                namespace: String = "default", origin: String) {
        self.server = server.hasSuffix("/") ? String(server.dropLast()) : server
        self.security = security
        self.credentials = credentials
        self.namespace = namespace
        self.origin = origin
    }
}

/// Command-line choices that override what the kubeconfig says.
public struct KubeconfigOverrides: Sendable {
    /// `--context`
    public var context: String?
    /// `--namespace`
    public var namespace: String?
    /// `--insecure-skip-tls-verify`
    public var insecureSkipTLSVerify: Bool

    public init(context: String? = nil, namespace: String? = nil, insecureSkipTLSVerify: Bool = false) {
        self.context = context
        self.namespace = namespace
        self.insecureSkipTLSVerify = insecureSkipTLSVerify
    }
}

extension Kubeconfig {
    /// Picks the context (`--context`, else current-context) and resolves its cluster and
    /// user into a ready configuration, reading referenced files now so a missing file is
    /// reported before the first request.
    public func configuration(overrides: KubeconfigOverrides = .init(), environment: [String: String])
        throws(KubeconfigError) -> ClientConfiguration
    {
        let allFiles = files.isEmpty ? "(no kubeconfig files)" : files.joined(separator: ":")
        guard let contextName = overrides.context ?? currentContext else {
            throw KubeconfigError(file: allFiles, field: "current-context",
                                  message: "no current context is set; pass --context or set current-context")
        }
        guard let context = contexts[contextName] else {
            let known = contexts.keys.sorted().joined(separator: ", ")
            throw KubeconfigError(file: allFiles, field: overrides.context == nil ? "current-context" : "contexts",
                                  message: "context \"\(contextName)\" not found (known: \(known.isEmpty ? "none" : known))")
        }
        guard let cluster = clusters[context.cluster] else {
            throw KubeconfigError(file: context.file, field: "contexts[\(contextName)].context.cluster",
                                  message: "cluster \"\(context.cluster)\" not found")
        }
        let where_ = { (field: String) in "clusters[\(context.cluster)].cluster.\(field)" }
        guard let server = cluster.server else {
            throw KubeconfigError(file: cluster.file, field: where_("server"), message: "missing")
        }
        guard server.hasPrefix("https://") || server.hasPrefix("http://") else {
            throw KubeconfigError(file: cluster.file, field: where_("server"),
                                  message: "expected an https:// URL, found \"\(server)\"")
        }
        var security = TransportSecurity(serverName: cluster.tlsServerName, proxyURL: cluster.proxyURL)
        security.insecureSkipTLSVerify = cluster.insecureSkipTLSVerify || overrides.insecureSkipTLSVerify
        if let data = cluster.certificateAuthorityData {
            security.certificateAuthorityPEM = data
        } else if let path = cluster.certificateAuthority {
            security.certificateAuthorityPEM = try readFile(path, file: cluster.file, field: where_("certificate-authority"))
        }
        if cluster.insecureSkipTLSVerify, security.certificateAuthorityPEM != nil {
            throw KubeconfigError(file: cluster.file, field: where_("insecure-skip-tls-verify"),
                                  message: "set together with a certificate authority; remove one of them")
        }

        var credentials: any CredentialSource = StaticCredential(Credential())
        if let userName = context.user {
            guard let user = users[userName] else {
                throw KubeconfigError(file: context.file, field: "contexts[\(contextName)].context.user",
                                      message: "user \"\(userName)\" not found")
            }
            credentials = try user.credentials(name: userName, cluster: cluster, server: server, environment: environment)
        }
        let origin = "context \"\(contextName)\" of \(context.file)"
        return ClientConfiguration(server: server, security: security, credentials: credentials,
                                   namespace: overrides.namespace ?? context.namespace ?? "default", origin: origin)
    }
}

extension Kubeconfig.User {
    func credentials(name: String, cluster: Kubeconfig.Cluster, server: String, environment: [String: String])
        throws(KubeconfigError) -> any CredentialSource
    {
        let field = { (key: String) in "users[\(name)].user.\(key)" }
        if let provider = authProvider {
            throw KubeconfigError(file: file, field: field("auth-provider"),
                                  message: "auth-provider \"\(provider)\" is not supported; use an exec plugin (users[].user.exec) instead, as kubectl 1.26+ requires")
        }
        let certificate = try clientCertificate(field: field)
        let styles = [token != nil || tokenFile != nil, username != nil || password != nil, exec != nil].filter { $0 }.count
        guard styles <= 1 else {
            throw KubeconfigError(file: file, field: "users[\(name)].user",
                                  message: "set only one of token/tokenFile, username/password and exec")
        }
        if let token {
            return StaticCredential(Credential(authorization: "Bearer \(token)", clientCertificate: certificate))
        }
        if let tokenFile {
            guard FileManager.default.isReadableFile(atPath: tokenFile) else {
                throw KubeconfigError(file: file, field: field("tokenFile"), message: "cannot read \(tokenFile)")
            }
            return TokenFileCredential(path: tokenFile, origin: KubeconfigError(file: file, field: field("tokenFile"), message: ""),
                                       certificate: certificate)
        }
        if username != nil || password != nil {
            guard let username, let password else {
                throw KubeconfigError(file: file, field: field(username == nil ? "username" : "password"), message: "missing")
            }
            return StaticCredential(Credential(authorization: Credential.basic(username: username, password: password),
                                               clientCertificate: certificate))
        }
        if let exec {
            var info: Value = ["server": .string(server)]
            if let data = cluster.certificateAuthorityData {
                info["certificate-authority-data"] = .string(Data(data).base64EncodedString())
            }
            if let name = cluster.tlsServerName { info["tls-server-name"] = .string(name) }
            if cluster.insecureSkipTLSVerify { info["insecure-skip-tls-verify"] = true }
            if let proxy = cluster.proxyURL { info["proxy-url"] = .string(proxy) }
            return ExecCredentialPlugin(config: exec, clusterInfo: info, environment: environment)
        }
        return StaticCredential(Credential(clientCertificate: certificate))
    }

    private func clientCertificate(field: (String) -> String) throws(KubeconfigError) -> ClientCertificate? {
        var certificate = clientCertificateData
        if certificate == nil, let path = clientCertificate {
            certificate = try readFile(path, file: file, field: field("client-certificate"))
        }
        var key = clientKeyData
        if key == nil, let path = clientKey {
            key = try readFile(path, file: file, field: field("client-key"))
        }
        switch (certificate, key) {
        case let (certificate?, key?): return ClientCertificate(certificatePEM: certificate, keyPEM: key)
        case (nil, nil): return nil
        case (nil, _): throw KubeconfigError(file: file, field: field("client-certificate-data"), message: "missing, but a client key is set")
        case (_, nil): throw KubeconfigError(file: file, field: field("client-key-data"), message: "missing, but a client certificate is set")
        }
    }
}

func readFile(_ path: String, file: String, field: String) throws(KubeconfigError) -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw KubeconfigError(file: file, field: field, message: "cannot read \(path)")
    }
    return Array(data)
}
