import FoundationEssentials
import Synchronization
import Unstructured

/// What a request presents to the API server. Both parts are secrets: never log them.
public struct Credential: Sendable, Equatable {
    /// The value of the Authorization header (`Bearer ...` or `Basic ...`).
    public var authorization: String?
    public var clientCertificate: ClientCertificate?

    public init(authorization: String? = nil, clientCertificate: ClientCertificate? = nil) {
        self.authorization = authorization
        self.clientCertificate = clientCertificate
    }
}

/// Where a user's credential comes from. Sources that can change (a rotated token file,
/// an exec plugin's expiring token) are asked again before every request; `refresh` is set
/// after a 401, when a cached credential must not be trusted any more.
public protocol CredentialSource: Sendable {
    func credential(refresh: Bool) async throws -> Credential
}

/// A credential written into the kubeconfig itself: token, basic auth, client certificate.
public struct StaticCredential: CredentialSource {
    public let value: Credential

    public init(_ value: Credential) { self.value = value }

    public func credential(refresh: Bool) async throws -> Credential { value }
}

/// A bearer token read from a file that someone else rotates (kubeconfig `tokenFile`, the
/// service-account token of a Pod). The file is read again whenever it changed on disk, or
/// after a 401, so a rotated token is picked up without a restart.
public final class TokenFileCredential: CredentialSource {
    public let path: String
    /// Where the path came from, for error messages (`users[0].user.tokenFile`).
    let origin: KubeconfigError
    private let certificate: ClientCertificate?
    private let cached = Mutex<(modified: Date, token: String)?>(nil)

    init(path: String, origin: KubeconfigError, certificate: ClientCertificate?) {
        self.path = path
        self.origin = origin
        self.certificate = certificate
    }

    public func credential(refresh: Bool) async throws -> Credential {
        let modified = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? .distantPast
        if !refresh, let cached = cached.withLock({ $0 }), cached.modified == modified {
            return Credential(authorization: "Bearer \(cached.token)", clientCertificate: certificate)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            var error = origin
            error.message = "cannot read token file \(path)"
            throw error
        }
        let token = String(String(decoding: data, as: UTF8.self).trimmingWhitespace())
        guard !token.isEmpty else {
            var error = origin
            error.message = "token file \(path) is empty"
            throw error
        }
        cached.withLock { $0 = (modified, token) }
        return Credential(authorization: "Bearer \(token)", clientCertificate: certificate)
    }
}

extension Credential {
    static func basic(username: String, password: String) -> String {
        "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()
    }
}
