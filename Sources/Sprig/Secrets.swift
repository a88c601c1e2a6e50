import FoundationEssentials

/// The secret-making operations of sprig (keys, certificates, password hashes,
/// symmetric encryption). They sit behind a protocol for the same reason randomness does:
/// a render must be reproducible when a test injects deterministic stand-ins.
public protocol SecretSource: Sendable {
    /// A bcrypt hash of `password` (`$2a$`, cost 10).
    func bcrypt(_ password: String) throws -> String
    /// `password`-keyed AES-256-CBC of `plaintext`, as base64 of IV and ciphertext.
    func encryptAES(_ plaintext: String, password: String) throws -> String
    /// The inverse of `encryptAES`.
    func decryptAES(_ encoded: String, password: String) throws -> String
    /// A new private key as PEM: `rsa`, `ecdsa` or `ed25519`.
    func privateKey(_ algorithm: KeyAlgorithm) throws -> String
    /// A new certificate, self-signed or signed by `request.signer`.
    func certificate(_ request: CertificateRequest) throws -> CertificateAndKey
}

/// The key types `genPrivateKey` accepts.
public enum KeyAlgorithm: String, Sendable {
    case rsa, dsa, ecdsa, ed25519
}

/// What `genCA`, `genSelfSignedCert` and `genSignedCert` ask for.
public struct CertificateRequest: Sendable {
    public var commonName: String
    public var ipAddresses: [String]
    public var dnsNames: [String]
    public var notBefore: Date
    public var validDays: Int
    public var isAuthority: Bool
    /// The subject's key as PEM; nil makes a new RSA key.
    public var key: String?
    /// The issuing authority; nil makes the certificate self-signed.
    public var signer: CertificateAndKey?
}

/// A PEM certificate and its PEM private key: sprig's `{Cert, Key}` result.
public struct CertificateAndKey: Sendable, Equatable {
    public var cert: String
    public var key: String

    public init(cert: String, key: String) {
        self.cert = cert
        self.key = key
    }
}

/// The corpus stand-ins: recognisable `stub` values derived only from the inputs.
public struct StandInSecrets: SecretSource {
    public init() {}

    public func bcrypt(_ password: String) throws -> String {
        "$2a$10$stub" + Data(password.utf8).base64EncodedString()
    }

    public func encryptAES(_ plaintext: String, password: String) throws -> String {
        Data(("stub-aes:" + plaintext).utf8).base64EncodedString()
    }

    public func decryptAES(_ encoded: String, password: String) throws -> String {
        guard let data = Data(base64Encoded: encoded), let text = String(data: data, encoding: .utf8),
              text.hasPrefix("stub-aes:")
        else { throw SecretError("not a stand-in AES text: \(encoded)") }
        return String(text.dropFirst("stub-aes:".count))
    }

    public func privateKey(_ algorithm: KeyAlgorithm) throws -> String {
        PEM.encode(Array(("stub-key:" + algorithm.rawValue).utf8), kind: "PRIVATE KEY")
    }

    public func certificate(_ request: CertificateRequest) throws -> CertificateAndKey {
        CertificateAndKey(
            cert: PEM.encode(Array(("stub-cert:" + request.commonName).utf8), kind: "CERTIFICATE"),
            key: request.key ?? PEM.encode(Array(("stub-key:" + request.commonName).utf8), kind: "RSA PRIVATE KEY"))
    }
}

/// A failure of a secret operation; its text becomes the template function's error.
public struct SecretError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// PEM armour as Go's `encoding/pem` writes it: base64 in lines of 64.
enum PEM {
    static func encode(_ der: [UInt8], kind: String) -> String {
        let base64 = Data(der).base64EncodedString()
        var lines: [Substring] = []
        var rest = Substring(base64)
        while !rest.isEmpty {
            lines.append(rest.prefix(64))
            rest = rest.dropFirst(64)
        }
        return "-----BEGIN \(kind)-----\n" + lines.map { $0 + "\n" }.joined() + "-----END \(kind)-----\n"
    }

    /// The first PEM block of `text`: its kind and bytes.
    static func decode(_ text: String) -> (kind: String, der: [UInt8])? {
        guard let begin = text.firstRange(of: "-----BEGIN "),
              let kindEnd = text[begin.upperBound...].firstRange(of: "-----")
        else { return nil }
        let kind = String(text[begin.upperBound..<kindEnd.lowerBound])
        guard let end = text[kindEnd.upperBound...].firstRange(of: "-----END \(kind)-----") else { return nil }
        let body = text[kindEnd.upperBound..<end.lowerBound].filter { !$0.isWhitespace }
        guard let data = Data(base64Encoded: String(body)) else { return nil }
        return (kind, Array(data))
    }
}
