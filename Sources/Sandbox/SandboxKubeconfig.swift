import Foundation

/// Reads back the kubeconfig a Sandbox wrote (its own fixed layout), to reach that Sandbox again.
public enum SandboxKubeconfig {
    public struct Failure: Error, CustomStringConvertible { public let description: String }

    public static func client(from text: String, path: String) throws(Failure) -> SandboxClient {
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard let colon = trimmed.firstIndex(of: ":") else { continue }
            let key = String(trimmed[..<colon])
            let value = trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if fields[key] == nil { fields[key] = value }
        }
        guard let server = fields["server"], let components = URLComponents(string: server),
              let host = components.host, let port = components.port else {
            throw Failure(description: "\(path): no `server: https://HOST:PORT` entry; was it written by `sandbox start`?")
        }
        var caPEM: String?
        if let data = fields["certificate-authority-data"] {
            guard let decoded = Data(base64Encoded: data) else {
                throw Failure(description: "\(path): certificate-authority-data is not base64")
            }
            caPEM = String(decoding: decoded, as: UTF8.self)
        }
        return SandboxClient(host: host, port: port, caPEM: components.scheme == "https" ? caPEM : nil,
                             token: fields["token"])
    }
}
