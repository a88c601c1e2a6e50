import FoundationEssentials
import Unstructured

/// The configuration of a process running in a Pod: the API server from the
/// `KUBERNETES_SERVICE_HOST`/`_PORT` variables, the service account's token, CA and
/// namespace from its mounted folder. The token is re-read when the kubelet rotates it.
public struct InClusterConfig: Sendable {
    /// The service-account folder; only tests point it elsewhere.
    public var folder: String

    public init(folder: String = "/var/run/secrets/kubernetes.io/serviceaccount") {
        self.folder = folder
    }

    public func isAvailable(environment: [String: String]) -> Bool {
        environment["KUBERNETES_SERVICE_HOST"] != nil && FileManager.default.fileExists(atPath: folder + "/token")
    }

    public func configuration(environment: [String: String]) throws(KubeconfigError) -> ClientConfiguration {
        guard let host = environment["KUBERNETES_SERVICE_HOST"], let port = environment["KUBERNETES_SERVICE_PORT"] else {
            throw KubeconfigError(file: "in-cluster", field: "KUBERNETES_SERVICE_HOST",
                                  message: "KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be set inside a Pod")
        }
        let tokenPath = folder + "/token"
        guard FileManager.default.isReadableFile(atPath: tokenPath) else {
            throw KubeconfigError(file: tokenPath, field: "", message: "cannot read the service-account token")
        }
        let ca = try readFile(folder + "/ca.crt", file: folder + "/ca.crt", field: "")
        let namespace = FileManager.default.contents(atPath: folder + "/namespace")
            .map { String(String(decoding: $0, as: UTF8.self).trimmingWhitespace()) }
        let hostPart = host.contains(":") ? "[\(host)]" : host
        let token = TokenFileCredential(path: tokenPath, origin: KubeconfigError(file: tokenPath, field: "", message: ""),
                                        certificate: nil)
        return ClientConfiguration(server: "https://\(hostPart):\(port)",
                                   security: TransportSecurity(certificateAuthorityPEM: ca), credentials: token,
                                   namespace: namespace.flatMap { $0.isEmpty ? nil : $0 } ?? "default",
                                   origin: "in-cluster service account")
    }
}
