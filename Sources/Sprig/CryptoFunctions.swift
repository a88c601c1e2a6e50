import Crypto
import _CryptoExtras
import FoundationEssentials
import GoTemplate
import Unstructured
import X509

/// sprig's crypto and security functions. Everything random or secret goes through the
/// injected `EntropySource` and its `SecretSource`.
extension Sprig {
    static func cryptoFunctions(entropy: any EntropySource, clock: any ClockSource) -> FunctionLibrary {
        let secrets = entropy.secrets
        let certificate = { @Sendable (request: CertificateRequest) throws -> Value in
            do {
                let made = try secrets.certificate(request)
                return ["Cert": .string(made.cert), "Key": .string(made.key)]
            } catch let error as SecretError {
                throw FunctionError(error.description)
            }
        }
        @Sendable func request(_ a: [Value], authority: Bool, names: Bool, key: Int?, signer: Int?) throws -> CertificateRequest {
            CertificateRequest(
                commonName: try a.string(0),
                ipAddresses: names ? try ipAddresses(a[1]) : [],
                dnsNames: names ? try dnsNames(a[2]) : [],
                notBefore: clock.now,
                validDays: try a.int(names ? 3 : 1),
                isAuthority: authority,
                key: try key.map { try a.string($0) },
                signer: try signer.map { try a.certificate($0) })
        }
        return [
            "genPrivateKey": .init(arity: 1) { a, _ in
                let name = try a.string(0)
                guard let algorithm = KeyAlgorithm(rawValue: name) else { return .string("Unknown type \(name)") }
                return .string(try secrets.run { try $0.privateKey(algorithm) })
            },
            "genCA": .init(arity: 2) { a, _ in try certificate(request(a, authority: true, names: false, key: nil, signer: nil)) },
            "genCAWithKey": .init(arity: 3) { a, _ in
                try certificate(request(a, authority: true, names: false, key: 2, signer: nil).checkingKey())
            },
            "genSelfSignedCert": .init(arity: 4) { a, _ in try certificate(request(a, authority: false, names: true, key: nil, signer: nil)) },
            "genSelfSignedCertWithKey": .init(arity: 5) { a, _ in
                try certificate(request(a, authority: false, names: true, key: 4, signer: nil).checkingKey())
            },
            "genSignedCert": .init(arity: 5) { a, _ in try certificate(request(a, authority: false, names: true, key: nil, signer: 4)) },
            "genSignedCertWithKey": .init(arity: 6) { a, _ in
                try certificate(request(a, authority: false, names: true, key: 5, signer: 4).checkingKey())
            },
            "buildCustomCert": .init(arity: 2) { a, _ in try customCertificate(cert: try a.string(0), key: try a.string(1)) },
            "derivePassword": .init(arity: 5) { a, _ in
                .string(try MasterPassword.derive(counter: try a.int(0), template: try a.string(1), password: try a.string(2),
                                                  user: try a.string(3), site: try a.string(4)))
            },
            "encryptAES": .init(arity: 2) { a, _ in
                .string(try secrets.run { try $0.encryptAES(try a.string(1), password: try a.string(0)) })
            },
            "decryptAES": .init(arity: 2) { a, _ in
                let encoded = try a.string(1)
                guard !encoded.isEmpty else { return "" }
                return .string(try secrets.run { try $0.decryptAES(encoded, password: try a.string(0)) })
            },
            "bcrypt": .init(arity: 1) { a, _ in .string(try secrets.run { try $0.bcrypt(try a.string(0)) }) },
            "htpasswd": .init(arity: 2) { a, _ in
                let user = try a.string(0)
                guard !user.contains(":") else { return .string("invalid username: \(user)") }
                return .string(user + ":" + (try secrets.run { try $0.bcrypt(try a.string(1)) }))
            },
            "randBytes": .init(arity: 1) { a, _ in
                let count = try a.int(0)
                guard count >= 0 else { throw FunctionError("runtime error: makeslice: len out of range") }
                return .string(Data(entropy.randomBytes(count: count)).base64EncodedString())
            },
            "uuidv4": .init(arity: 0) { _, _ in .string(entropy.uuidV4()) },
        ]
    }

    private static func ipAddresses(_ value: Value) throws -> [String] {
        try names(value).map { item in
            guard case let .string(text) = item else { throw FunctionError("error parsing ip: \(GoFormat.string(item)) is not a string") }
            guard (try? X509Secrets.ipBytes(text)) != nil else { throw FunctionError("error parsing ip: \(text)") }
            return text
        }
    }

    private static func dnsNames(_ value: Value) throws -> [String] {
        try names(value).map { item in
            guard case let .string(text) = item else {
                throw FunctionError("error processing alternate dns name: \(GoFormat.string(item)) is not a string")
            }
            return text
        }
    }

    /// A `[]interface{}` parameter: a list, or nothing for nil.
    private static func names(_ value: Value) throws -> [Value] {
        switch value {
        case .null: return []
        case let .list(items): return items
        default: throw FunctionError("wrong type for value; expected []interface {}; got \(Go.argumentTypeName(value))")
        }
    }

    private static func customCertificate(cert: String, key: String) throws -> Value {
        guard let certData = Data(base64Encoded: cert) else { throw FunctionError("unable to decode base64 certificate") }
        guard let keyData = Data(base64Encoded: key) else { throw FunctionError("unable to decode base64 private key") }
        let certPEM = String(decoding: certData, as: UTF8.self)
        let keyPEM = String(decoding: keyData, as: UTF8.self)
        guard let (_, der) = PEM.decode(certPEM) else { throw FunctionError("unable to decode certificate") }
        do {
            _ = try Certificate(derEncoded: der)
        } catch {
            throw FunctionError("error parsing certificate: decodedCert.Bytes: \(error)")
        }
        do {
            _ = try SigningKey(pem: keyPEM)
        } catch {
            throw FunctionError("error parsing private key: \(error)")
        }
        return ["Cert": .string(certPEM), "Key": .string(keyPEM)]
    }
}

extension SecretSource {
    /// Runs a secret operation, turning its failure into the template function's error.
    func run<T>(_ operation: (Self) throws -> T) throws -> T {
        do {
            return try operation(self)
        } catch let error as SecretError {
            throw FunctionError(error.description)
        }
    }
}

extension CertificateRequest {
    /// A caller-supplied key must at least be PEM, whichever source makes the certificate.
    func checkingKey() throws -> CertificateRequest {
        if let key, PEM.decode(key) == nil { throw FunctionError("parsing private key: no PEM data in input") }
        return self
    }
}

extension [Value] {
    /// A sprig `certificate` parameter: the `{Cert, Key}` result of an earlier `gen*` call.
    func certificate(_ index: Int) throws -> CertificateAndKey {
        guard case let .map(map) = self[index], case let .string(cert)? = map["Cert"], case let .string(key)? = map["Key"] else {
            throw wrongType(index, expected: "sprig.certificate")
        }
        return CertificateAndKey(cert: cert, key: key)
    }
}

/// The Master Password algorithm behind sprig's `derivePassword`: scrypt of the password
/// salted with the user, HMAC-SHA256 of the site, then a template of character classes.
enum MasterPassword {
    private static let seed = "com.lyndir.masterpassword"

    private static let templates: [String: [String]] = [
        "maximum": ["anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"],
        "long": ["CvcvnoCvcvCvcv", "CvcvCvcvnoCvcv", "CvcvCvcvCvcvno", "CvccnoCvcvCvcv", "CvccCvcvnoCvcv",
                 "CvccCvcvCvcvno", "CvcvnoCvccCvcv", "CvcvCvccnoCvcv", "CvcvCvccCvcvno", "CvcvnoCvcvCvcc",
                 "CvcvCvcvnoCvcc", "CvcvCvcvCvccno", "CvccnoCvccCvcv", "CvccCvccnoCvcv", "CvccCvccCvcvno",
                 "CvcvnoCvccCvcc", "CvcvCvccnoCvcc", "CvcvCvccCvccno", "CvccnoCvcvCvcc", "CvccCvcvnoCvcc",
                 "CvccCvcvCvccno"],
        "medium": ["CvcnoCvc", "CvcCvcno"],
        "short": ["Cvcn"],
        "basic": ["aaanaaan", "aannaaan", "aaannaaa"],
        "pin": ["nnnn"],
    ]

    private static let characters: [Character: [UInt8]] = [
        "V": Array("AEIOU".utf8),
        "C": Array("BCDFGHJKLMNPQRSTVWXYZ".utf8),
        "v": Array("aeiou".utf8),
        "c": Array("bcdfghjklmnpqrstvwxyz".utf8),
        "A": Array("AEIOUBCDFGHJKLMNPQRSTVWXYZ".utf8),
        "a": Array("AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz".utf8),
        "n": Array("0123456789".utf8),
        "o": Array("@&%?,=[]_:-+*$#!'^~;()/.".utf8),
        "x": Array("AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()".utf8),
    ]

    static func derive(counter: Int, template name: String, password: String, user: String, site: String) throws -> String {
        guard let choices = templates[name] else { return "cannot find password template \(name)" }
        let salt = Array(seed.utf8) + bigEndian(user.utf8.count) + Array(user.utf8)
        let key: SymmetricKey
        do {
            key = try KDF.Scrypt.deriveKey(from: Array(password.utf8), salt: salt, outputByteCount: 64,
                                           rounds: 32768, blockSize: 8, parallelism: 2, maxMemory: 64 * 1024 * 1024)
        } catch {
            return "failed to derive password: \(error)"
        }
        let message = Array(seed.utf8) + bigEndian(site.utf8.count) + Array(site.utf8) + bigEndian(counter)
        let digest = Array(HMAC<SHA256>.authenticationCode(for: message, using: key))
        let template = choices[Int(digest[0]) % choices.count]
        var out: [UInt8] = []
        for (index, kind) in template.enumerated() {
            guard let set = characters[kind] else { continue }
            out.append(set[Int(digest[index + 1]) % set.count])
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func bigEndian(_ value: Int) -> [UInt8] {
        let word = UInt32(truncatingIfNeeded: value)
        return [UInt8(word >> 24), UInt8(word >> 16 & 0xff), UInt8(word >> 8 & 0xff), UInt8(word & 0xff)]
    }
}
