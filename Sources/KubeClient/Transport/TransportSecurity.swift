/// How to reach one API server: trust, client identity, routing. Built from a kubeconfig
/// cluster (and user, for the client certificate); all key material is held in memory.
public struct TransportSecurity: Sendable, Equatable {
    /// PEM CA bundle to verify the server with; nil means the system trust store.
    public var certificateAuthorityPEM: [UInt8]?
    /// Turns off server verification. Only ever set from an explicit kubeconfig field or flag.
    public var insecureSkipTLSVerify: Bool
    /// The name to expect in the server's certificate (and send as SNI) when it differs
    /// from the host in the server URL (kubeconfig `tls-server-name`).
    public var serverName: String?
    /// `proxy-url` of the cluster; nil leaves curl's usual proxy environment handling.
    public var proxyURL: String?

    public init(certificateAuthorityPEM: [UInt8]? = nil, insecureSkipTLSVerify: Bool = false,
                serverName: String? = nil, proxyURL: String? = nil) {
        self.certificateAuthorityPEM = certificateAuthorityPEM
        self.insecureSkipTLSVerify = insecureSkipTLSVerify
        self.serverName = serverName
        self.proxyURL = proxyURL
    }
}

/// A client certificate and its private key, both PEM, both in memory.
public struct ClientCertificate: Sendable, Equatable {
    public var certificatePEM: [UInt8]
    public var keyPEM: [UInt8]

    public init(certificatePEM: [UInt8], keyPEM: [UInt8]) {
        self.certificatePEM = certificatePEM
        self.keyPEM = keyPEM
    }
}
