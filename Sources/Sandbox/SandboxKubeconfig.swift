import FoundationEssentials
import Unstructured

/// Reads back a kubeconfig a Sandbox wrote, to reach that Sandbox again (`sandbox stop`).
public enum SandboxKubeconfig {
    public struct Failure: Error, CustomStringConvertible { public let description: String }

    public static func client(from text: String, path: String) throws(Failure) -> SandboxClient {
        let config: Value
        do {
            config = try YAML.parse(text, source: path)
        } catch {
            throw Failure(description: error.description)
        }
        let contextName = config["current-context"].stringValue
        let context = (config["contexts"].listValue ?? []).first { $0["name"].stringValue == contextName }?["context"]
            ?? config["contexts"][0]["context"]
        let cluster = (config["clusters"].listValue ?? []).first { $0["name"] == context["cluster"] }?["cluster"]
            ?? config["clusters"][0]["cluster"]
        let user = (config["users"].listValue ?? []).first { $0["name"] == context["user"] }?["user"]
            ?? config["users"][0]["user"]
        guard let server = cluster["server"].stringValue, let components = URLComponents(string: server),
              let host = components.host, let port = components.port else {
            throw Failure(description: "\(path): clusters[].cluster.server is not https://HOST:PORT; was it written by `sandbox start`?")
        }
        var caPEM: String?
        if let data = cluster["certificate-authority-data"].stringValue {
            guard let decoded = Data(base64Encoded: data) else {
                throw Failure(description: "\(path): clusters[].cluster.certificate-authority-data is not base64")
            }
            caPEM = String(decoding: decoded, as: UTF8.self)
        }
        return SandboxClient(host: host, port: port, caPEM: components.scheme == "https" ? caPEM : nil,
                             token: user["token"].stringValue)
    }
}
