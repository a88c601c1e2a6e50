import GoTemplate
import Foundation
import Testing
import Unstructured
import X509
@testable import Sprig

@Suite struct CryptoFunctionTests {
    static let system = Sprig.library(entropy: SystemEntropy(), clock: FixedClock())

    /// Outputs of sprig's Master Password implementation, from gotemplate-ref.
    @Test(arguments: [
        (1, "long", "password", "user", "example.com", "ZedaFaxcZaso9*"),
        (1, "maximum", "password", "user", "example.com", "pf4zS1LjCg&LjhsZ7T2~"),
        (2, "medium", "pw", "u", "s", "Fiy1=Nef"),
        (3, "short", "pw", "u", "s", "Yun9"),
        (1, "basic", "pw", "user", "site", "BF79QIP6"),
        (1, "pin", "pw", "user", "site", "8979"),
        (1, "nope", "pw", "user", "site", "cannot find password template nope"),
    ])
    func derivePasswordMatchesSprig(_ example: (Int, String, String, String, String, String)) throws {
        let (counter, kind, password, user, site, expected) = example
        #expect(try printed("derivePassword", .int(counter), .string(kind), .string(password), .string(user), .string(site)) == expected)
    }

    @Test func standInsReproduceTheCorpusTable() throws {
        #expect(try printed("uuidv4") == "00000000-0000-4000-8000-000000000000")
        #expect(try printed("randBytes", 3) == "AAAA")
        #expect(try printed("bcrypt", "pw") == "$2a$10$stub" + "cHc=")
        #expect(try printed("htpasswd", "u", "pw") == "u:$2a$10$stubcHc=")
        #expect(try printed("encryptAES", "key", "hi") == Data("stub-aes:hi".utf8).base64EncodedString())
        #expect(try printed("decryptAES", "key", try call("encryptAES", "key", "hi")) == "hi")
        #expect(try printed("genPrivateKey", "rsa") == "-----BEGIN PRIVATE KEY-----\nc3R1Yi1rZXk6cnNh\n-----END PRIVATE KEY-----\n")
        let ca = try call("genCA", "elasticsearch-ca", 365)
        #expect(ca["Cert"] == "-----BEGIN CERTIFICATE-----\nc3R1Yi1jZXJ0OmVsYXN0aWNzZWFyY2gtY2E=\n-----END CERTIFICATE-----\n")
        let signed = try call("genSignedCert", "elasticsearch-master", nil, ["a.svc"], 365, ca)
        #expect(signed["Key"] == "-----BEGIN RSA PRIVATE KEY-----\nc3R1Yi1rZXk6ZWxhc3RpY3NlYXJjaC1tYXN0ZXI=\n-----END RSA PRIVATE KEY-----\n")
        let withKey = try call("genSelfSignedCertWithKey", "x", nil, nil, 3, "-----BEGIN PRIVATE KEY-----\nAA==\n-----END PRIVATE KEY-----\n")
        #expect(withKey["Key"] == "-----BEGIN PRIVATE KEY-----\nAA==\n-----END PRIVATE KEY-----\n")
    }

    static let failures: [FailureCase] = [
        FailureCase("htpasswd", "a:b", "x", fails: "invalid username: a:b"),
        FailureCase("buildCustomCert", "!!", "x", fails: "unable to decode base64 certificate"),
        FailureCase("buildCustomCert", "YWJj", "YWJj", fails: "unable to decode certificate"),
        FailureCase("genSelfSignedCert", "x", ["bad"], nil, 3, fails: "error parsing ip: bad"),
        FailureCase("genSelfSignedCert", "x", [5], nil, 3, fails: "error parsing ip: 5 is not a string"),
        FailureCase("genSelfSignedCert", "x", nil, [5], 3, fails: "error processing alternate dns name: 5 is not a string"),
        FailureCase("genSignedCert", "x", nil, nil, 3, [:], fails: "wrong type for value; expected sprig.certificate; got map[string]interface {}"),
        FailureCase("genCAWithKey", "x", 3, "junk", fails: "parsing private key: no PEM data in input"),
    ]

    @Test(arguments: failures) func failsAsSprigFails(_ example: FailureCase) {
        if example.function == "htpasswd" {
            #expect((try? printed("htpasswd", "a:b", "x")) == example.message)
        } else {
            #expect(example.run() == example.message)
        }
    }

    @Test func genPrivateKeyNamesUnknownTypes() throws {
        #expect(try printed("genPrivateKey", "foo", in: Self.system) == "Unknown type foo")
        #expect(failure("genPrivateKey", "dsa", in: Self.system)?.hasPrefix("DSA keys are not supported") == true)
    }

    @Test func realKeysHaveSprigsPEMKinds() throws {
        let ecdsa = try printed("genPrivateKey", "ecdsa", in: Self.system)
        #expect(ecdsa.hasPrefix("-----BEGIN EC PRIVATE KEY-----\n"))
        #expect(PEM.decode(ecdsa)?.der.count == 121)
        _ = try SigningKey(pem: ecdsa)
        let ed25519 = try printed("genPrivateKey", "ed25519", in: Self.system)
        #expect(ed25519.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        guard case .ed25519 = try SigningKey(pem: ed25519) else {
            Issue.record("ed25519 key did not read back as Ed25519")
            return
        }
    }

    @Test func realCertificatesChainToTheirAuthority() throws {
        let ca = try call("genCA", "test-ca", 30, in: Self.system)
        let leaf = try call("genSignedCert", "svc", ["10.0.0.1"], ["svc.ns"], 10, ca, in: Self.system)
        guard case let .string(caPEM) = ca["Cert"], case let .string(leafPEM) = leaf["Cert"], case let .string(keyPEM) = leaf["Key"] else {
            Issue.record("certificates are not strings")
            return
        }
        #expect(keyPEM.hasPrefix("-----BEGIN RSA PRIVATE KEY-----"))
        let caCert = try Certificate(pemEncoded: caPEM)
        let leafCert = try Certificate(pemEncoded: leafPEM)
        #expect(caCert.subject == caCert.issuer)
        #expect(leafCert.issuer == caCert.subject)
        #expect(caCert.publicKey.isValidSignature(leafCert.signature, for: leafCert))
        #expect(try caCert.extensions.basicConstraints == .isCertificateAuthority(maxPathLength: nil))
        #expect(leafCert.notValidBefore == FixedClock().now)
        #expect(leafCert.notValidAfter == FixedClock().now.addingTimeInterval(10 * 86_400))
        let names = try leafCert.extensions.subjectAlternativeNames
        #expect(names?.contains(.dnsName("svc.ns")) == true)
        let custom = try call("buildCustomCert", .string(Data(leafPEM.utf8).base64EncodedString()),
                              .string(Data(keyPEM.utf8).base64EncodedString()), in: Self.system)
        #expect(custom["Cert"] == .string(leafPEM))
    }

    @Test func aesRoundTripsAndReadsSprigsCiphertext() throws {
        #expect(try printed("decryptAES", "secretkey", "nM2KQd2vmANBbF79qbie4bNe2DGmHxb4Kynv1UX2wCs=", in: Self.system) == "hello world")
        let sealed = try call("encryptAES", "k", "some text", in: Self.system)
        #expect(try printed("decryptAES", "k", sealed, in: Self.system) == "some text")
        #expect(try printed("encryptAES", "k", "", in: Self.system) == "")
        #expect(try printed("decryptAES", "k", "", in: Self.system) == "")
        #expect(failure("decryptAES", "k", "bad", in: Self.system) == "illegal base64 data at input byte 0")
        #expect(failure("decryptAES", "k", "YWJj", in: Self.system) == "runtime error: slice bounds out of range [:16] with capacity 3")
    }

    @Test func systemRandomnessLooksRandom() throws {
        let uuid = try printed("uuidv4", in: Self.system)
        #expect(uuid.count == 36 && uuid != "00000000-0000-4000-8000-000000000000")
        #expect(Array(uuid)[14] == "4")
        #expect(try printed("randBytes", 4, in: Self.system).count == 8)
    }
}

/// Hashes printed by gotemplate-ref's `bcrypt`/`htpasswd` (x/crypto/bcrypt, random salts):
/// recomputing them from their own salt must give the same text.
@Suite struct BcryptTests {
    @Test(arguments: [
        ("secret", "$2a$10$ZCnmVx0lkkRO58PzhWyIo.jtV0rc8UeradWPE3bTlhPpMjx2Oxzv6"),
        ("p@ss", "$2a$10$6uOkgj1oiBcbvuwh.NCbVePdxx1vNdGwTKiogx8HNRPJddzLzo7nK"),
    ])
    func reproducesGoHashes(_ example: (String, String)) throws {
        let (password, expected) = example
        let saltText = String(expected.dropFirst(7).prefix(22))
        let salt = try #require(Bcrypt.decode(saltText))
        #expect(salt.count == 16)
        #expect(Bcrypt.hash(password: Array(password.utf8), salt: salt) == expected)
    }

    @Test func systemHtpasswdUsesARealHash() throws {
        let line = try printed("htpasswd", "admin", "p@ss", in: CryptoFunctionTests.system)
        #expect(line.hasPrefix("admin:$2a$10$"))
        #expect(line.count == "admin:".count + 60)
    }
}
