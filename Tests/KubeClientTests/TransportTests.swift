import Foundation
import Testing
@testable import KubeClient

/// The libcurl transport against the python stand-in HTTPS server (Fixtures/stand_in_server.py).
@Suite("Transport over libcurl")
struct TransportTests {
    let pki: TestPKI
    let server: StandInServer

    init() async throws {
        pki = try await TestPKI()
        server = try await StandInServer(pki: pki)
    }

    private func transport(_ security: TransportSecurity) throws -> CurlTransport {
        try CurlTransport(security: security)
    }

    private func echo(_ response: HTTPResponse) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
    }

    @Test func verifiesTheServerWithACAHeldInMemory() async throws {
        let client = try transport(TransportSecurity(certificateAuthorityPEM: pki.bytes(pki.caCertificate)))
        let response = try await client.send(HTTPRequest(method: "GET", url: server.url + "/hello"))
        #expect(response.status == 200)
        let headers = try #require(try echo(response)["headers"] as? [String: String])
        #expect(headers["User-Agent"] == "seldon-operator/\(KubeClientVersion.current)")
    }

    @Test func aStreamTheServerNeverAnswersTimesOutAtTheRequestTimeout() async throws {
        let options = TransportOptions(connectTimeout: .seconds(30), requestTimeout: .milliseconds(500))
        let client = try CurlTransport(security: TransportSecurity(certificateAuthorityPEM: pki.bytes(pki.caCertificate)),
                                       options: options)
        let error = await #expect(throws: TransportError.self) {
            _ = try await client.stream(HTTPRequest(method: "GET", url: server.url + "/silent"))
        }
        #expect(error?.kind == .timedOut, "a watch that never starts must fail as a retriable timeout, not hang")
        #expect(error?.isRetriable == true)
    }

    @Test func anUnknownCAFailsWithAnExplanation() async throws {
        let other = try await TestPKI(commonName: "some-other-ca")
        let client = try transport(TransportSecurity(certificateAuthorityPEM: other.bytes(other.caCertificate)))
        let error = await #expect(throws: TransportError.self) {
            try await client.send(HTTPRequest(method: "GET", url: server.url + "/hello"))
        }
        #expect(error?.kind == .untrustedServerCertificate)
        #expect(error?.isRetriable == false)
        #expect(error?.description.contains("certificate-authority-data") == true)
        #expect(error?.description.contains("insecure-skip-tls-verify") == true)
    }

    @Test func theSystemTrustStoreDoesNotTrustAPrivateCA() async throws {
        let client = try transport(TransportSecurity())
        let error = await #expect(throws: TransportError.self) {
            try await client.send(HTTPRequest(method: "GET", url: server.url + "/hello"))
        }
        #expect(error?.kind == .untrustedServerCertificate)
    }

    @Test func skipsVerificationOnlyWhenAskedTo() async throws {
        let client = try transport(TransportSecurity(insecureSkipTLSVerify: true))
        let response = try await client.send(HTTPRequest(method: "GET", url: server.url + "/hello"))
        #expect(response.status == 200)
    }

    @Test func tlsServerNameIsVerifiedInsteadOfTheAddress() async throws {
        let ca = try pki.bytes(pki.caCertificate)
        let url = "https://127.0.0.1:\(server.port)/named"
        let named = try transport(TransportSecurity(certificateAuthorityPEM: ca, serverName: "localhost"))
        let response = try await named.send(HTTPRequest(method: "GET", url: url))
        #expect(response.status == 200)

        let misnamed = try transport(TransportSecurity(certificateAuthorityPEM: ca, serverName: "elsewhere.example"))
        let error = await #expect(throws: TransportError.self) {
            try await misnamed.send(HTTPRequest(method: "GET", url: url))
        }
        #expect(error?.kind == .tls)
    }

    @Test func sendsBodiesAndHeaders() async throws {
        let client = try transport(TransportSecurity(certificateAuthorityPEM: pki.bytes(pki.caCertificate)))
        var headers = HTTPHeaders()
        headers.set("Content-Type", "application/json")
        let response = try await client.send(HTTPRequest(method: "PATCH", url: server.url + "/things/a",
                                                         headers: headers, body: Array(#"{"a":1}"#.utf8)))
        #expect(response.status == 201)
        let echoed = try echo(response)
        #expect(echoed["method"] as? String == "PATCH")
        #expect(echoed["body"] as? String == #"{"a":1}"#)
        #expect((echoed["headers"] as? [String: String])?["Content-Type"] == "application/json")
    }

    @Test func reusesOneConnectionForSequentialRequests() async throws {
        let client = try transport(TransportSecurity(certificateAuthorityPEM: pki.bytes(pki.caCertificate)))
        var ports: [Int] = []
        var reused: [Bool] = []
        for _ in 0..<3 {
            let response = try await client.send(HTTPRequest(method: "GET", url: server.url + "/again"))
            ports.append(try #require(try echo(response)["clientPort"] as? Int))
            reused.append(response.connection.reused)
        }
        #expect(Set(ports).count == 1)
        #expect(reused == [false, true, true])
    }

    @Test func streamsABodyAsItArrives() async throws {
        let client = try transport(TransportSecurity(certificateAuthorityPEM: pki.bytes(pki.caCertificate)))
        let response = try await client.stream(HTTPRequest(method: "GET", url: server.url + "/stream"))
        #expect(response.status == 200)
        var bytes: [UInt8] = []
        var pieces = 0
        for try await piece in response.body {
            bytes += piece
            pieces += 1
        }
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 3)
        #expect(pieces > 1)
    }

    @Test func anAbandonedStreamDoesNotBlockTheTransport() async throws {
        let client = try transport(TransportSecurity(certificateAuthorityPEM: pki.bytes(pki.caCertificate)))
        do {
            let response = try await client.stream(HTTPRequest(method: "GET", url: server.url + "/stream"))
            for try await _ in response.body { break }
        }
        let after = try await client.send(HTTPRequest(method: "GET", url: server.url + "/after"))
        #expect(after.status == 200)
    }
}

@Suite("Transport with client certificates")
struct ClientCertificateTransportTests {
    @Test func presentsACertificateAndKeyHeldInMemory() async throws {
        let pki = try await TestPKI()
        let server = try await StandInServer(pki: pki, requireClientCertificate: true)
        let client = try CurlTransport(security: TransportSecurity(certificateAuthorityPEM: pki.bytes(pki.caCertificate)))
        let identity = ClientCertificate(certificatePEM: try pki.bytes(pki.clientCertificate),
                                         keyPEM: try pki.bytes(pki.clientKey))
        let response = try await client.send(HTTPRequest(method: "GET", url: server.url + "/me"), clientCertificate: identity)
        let echoed = try #require(JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
        #expect(echoed["clientCommonName"] as? String == "kube-admin")

        await #expect(throws: TransportError.self) {
            try await client.send(HTTPRequest(method: "GET", url: server.url + "/anonymous"))
        }
    }
}
