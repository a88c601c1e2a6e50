import Crypto
import _CryptoExtras
import FoundationEssentials
import X509

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Real keys and certificates (swift-crypto, swift-certificates), shaped as sprig makes
/// them: RSA keys as PKCS #1, ECDSA (P-256) keys as SEC 1, Ed25519 keys as PKCS #8; CA
/// and leaf certificates with sprig's key usages. Serial numbers and IVs come from the
/// injected entropy.
struct X509Secrets: SecretSource {
    let entropy: any EntropySource

    func bcrypt(_ password: String) throws -> String {
        Bcrypt.hash(password: Array(password.utf8), salt: entropy.randomBytes(count: 16))
    }

    func encryptAES(_ plaintext: String, password: String) throws -> String {
        guard !plaintext.isEmpty else { return "" }
        let key = Self.aesKey(password)
        var content = Array(plaintext.utf8)
        let padding = 16 - content.count % 16
        content += [UInt8](repeating: UInt8(padding), count: padding)
        let ivBytes = entropy.randomBytes(count: 16)
        let ciphertext = try AES._CBC.encrypt(content, using: key, iv: try AES._CBC.IV(ivBytes: ivBytes), noPadding: true)
        return Data(ivBytes + Array(ciphertext)).base64EncodedString()
    }

    func decryptAES(_ encoded: String, password: String) throws -> String {
        guard let data = Data(base64Encoded: encoded) else { throw SecretError(Base64Text.failureMessage(encoded)) }
        let bytes = Array(data)
        guard bytes.count >= 16 else {
            throw SecretError("runtime error: slice bounds out of range [:16] with capacity \(bytes.count)")
        }
        guard bytes.count % 16 == 0 else { throw SecretError("crypto/cipher: input not full blocks") }
        let plain = Array(try AES._CBC.decrypt(bytes[16...], using: Self.aesKey(password),
                                                iv: try AES._CBC.IV(ivBytes: bytes[..<16]), noPadding: true))
        let padding = Int(plain.last ?? 0)
        guard padding <= plain.count else { throw SecretError("invalid AES padding") }
        return String(decoding: plain.dropLast(padding), as: UTF8.self)
    }

    /// sprig's key: the password's bytes, zero-padded or cut to 32.
    private static func aesKey(_ password: String) -> SymmetricKey {
        var key = Array(password.utf8.prefix(32))
        key += [UInt8](repeating: 0, count: 32 - key.count)
        return SymmetricKey(data: key)
    }

    func privateKey(_ algorithm: KeyAlgorithm) throws -> String {
        switch algorithm {
        case .rsa: return SigningKey.rsa(try _RSA.Signing.PrivateKey(keySize: .bits4096)).pem
        case .ecdsa: return SigningKey.p256(P256.Signing.PrivateKey()).pem
        case .ed25519: return SigningKey.ed25519(Curve25519.Signing.PrivateKey()).pem
        case .dsa: throw SecretError("DSA keys are not supported (DSA is deprecated); use rsa, ecdsa or ed25519")
        }
    }

    func certificate(_ request: CertificateRequest) throws -> CertificateAndKey {
        let keyPEM = try request.key ?? SigningKey.rsa(_RSA.Signing.PrivateKey(keySize: .bits2048)).pem
        let key = try SigningKey(pem: keyPEM)
        let subject = try DistinguishedName { CommonName(request.commonName) }
        let issuerName: DistinguishedName
        let issuerKey: SigningKey
        if let signer = request.signer {
            guard let (_, der) = PEM.decode(signer.cert) else { throw SecretError("unable to decode the CA certificate") }
            issuerName = try Certificate(derEncoded: der).subject
            issuerKey = try SigningKey(pem: signer.key)
        } else {
            issuerName = subject
            issuerKey = key
        }
        var serial = entropy.randomBytes(count: 16)
        serial[0] &= 0x7f
        let names = try request.dnsNames.map { GeneralName.dnsName($0) } + request.ipAddresses.map { try GeneralName.ipAddress(.init(contentBytes: Self.ipBytes($0)[...])) }
        let extensions = try Certificate.Extensions {
            Critical(request.isAuthority ? BasicConstraints.isCertificateAuthority(maxPathLength: nil) : BasicConstraints.notCertificateAuthority)
            Critical(KeyUsage(digitalSignature: true, keyEncipherment: true, keyCertSign: request.isAuthority))
            try ExtendedKeyUsage([.serverAuth, .clientAuth])
            if !names.isEmpty { SubjectAlternativeNames(names) }
        }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(bytes: serial[...]),
            publicKey: key.certificateKey.publicKey,
            notValidBefore: request.notBefore,
            notValidAfter: request.notBefore.addingTimeInterval(Double(request.validDays) * 86_400),
            issuer: issuerName,
            subject: subject,
            signatureAlgorithm: issuerKey.signatureAlgorithm,
            extensions: extensions,
            issuerPrivateKey: issuerKey.certificateKey)
        return CertificateAndKey(cert: try certificate.serializeAsPEM().pemString + "\n", key: keyPEM)
    }

    /// `net.ParseIP` for certificate SANs: four bytes for IPv4, sixteen for IPv6.
    static func ipBytes(_ text: String) throws -> [UInt8] {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        throw SecretError("error parsing ip: \(text)")
    }

}

/// A private key of one of the types sprig makes and reads.
enum SigningKey {
    case rsa(_RSA.Signing.PrivateKey)
    case p256(P256.Signing.PrivateKey)
    case ed25519(Curve25519.Signing.PrivateKey)

    private static let ed25519Prefix: [UInt8] = [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]

    var certificateKey: Certificate.PrivateKey {
        switch self {
        case let .rsa(key): Certificate.PrivateKey(key)
        case let .p256(key): Certificate.PrivateKey(key)
        case let .ed25519(key): Certificate.PrivateKey(key)
        }
    }

    var signatureAlgorithm: Certificate.SignatureAlgorithm {
        switch self {
        case .rsa: .sha256WithRSAEncryption
        case .p256: .ecdsaWithSHA256
        case .ed25519: .ed25519
        }
    }

    /// PEM in the form sprig writes for each key type.
    var pem: String {
        switch self {
        case let .rsa(key): PEM.encode(Array(key.derRepresentation), kind: "RSA PRIVATE KEY")
        case let .p256(key): PEM.encode(Self.sec1(key), kind: "EC PRIVATE KEY")
        case let .ed25519(key): PEM.encode(Self.ed25519Prefix + Array(key.rawRepresentation), kind: "PRIVATE KEY")
        }
    }

    /// RFC 5915 `ECPrivateKey` for P-256, as Go's `x509.MarshalECPrivateKey` writes it.
    private static func sec1(_ key: P256.Signing.PrivateKey) -> [UInt8] {
        let curve: [UInt8] = [0xa0, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07]
        let body: [UInt8] = [0x02, 0x01, 0x01, 0x04, 0x20] + Array(key.rawRepresentation) + curve
            + [0xa1, 0x44, 0x03, 0x42, 0x00] + Array(key.publicKey.x963Representation)
        return [0x30, UInt8(body.count)] + body
    }

    /// Reads an RSA (PKCS #1 or #8), ECDSA (SEC 1 or PKCS #8) or Ed25519 (PKCS #8) key.
    init(pem text: String) throws {
        guard let (kind, der) = PEM.decode(text) else { throw SecretError("error decoding private key: no PEM block found") }
        switch kind {
        case "RSA PRIVATE KEY":
            self = .rsa(try _RSA.Signing.PrivateKey(unsafeDERRepresentation: der))
        case "EC PRIVATE KEY":
            self = .p256(try P256.Signing.PrivateKey(derRepresentation: der))
        case "PRIVATE KEY":
            if der.count == 48, der.starts(with: Self.ed25519Prefix) {
                self = .ed25519(try Curve25519.Signing.PrivateKey(rawRepresentation: der[16...]))
            } else if let key = try? P256.Signing.PrivateKey(derRepresentation: der) {
                self = .p256(key)
            } else {
                self = .rsa(try _RSA.Signing.PrivateKey(unsafeDERRepresentation: der))
            }
        default:
            throw SecretError("error decoding private key: unsupported PEM block \(kind)")
        }
    }
}
