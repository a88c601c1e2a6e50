import FoundationEssentials
import Helm
import KubeClient
import Sprig
import Stack
import Synchronization
import Unstructured

/// Renders a stack the way `install` will apply it: with a cluster, `lookup` reads it (so
/// generated Secrets and the webhook CA already there are reused, never regenerated);
/// without one, `lookup` finds nothing, as in `helm template`.
struct ClusterRendering {
    let charts: ChartSource
    let client: KubeClient?

    /// Renders until every `lookup` the charts make has been read from the cluster (see
    /// `ClusterLookup`); a lookup that depends on another's answer takes one more pass.
    ///
    /// The first pass only finds out what the charts look up, and its output is dropped,
    /// so it makes keys and certificates as stand-ins: generating RSA keys for the webhook
    /// certificate was half the CPU time of planning an install, spent on a render no one
    /// reads (and, once the certificate's Secret exists, not needed by the real pass at all).
    func render(_ stack: StackPlan) async throws -> [RenderedComponent] {
        guard let client else { return try renderer(entropy: SystemEntropy(), lookup: nil).render(stack) }
        let lookup = ClusterLookup()
        _ = try renderer(entropy: DiscoveryEntropy(), lookup: lookup).render(stack)
        let real = renderer(entropy: SystemEntropy(), lookup: lookup)
        var passes = 1
        while true {
            try await lookup.fetchUnanswered(from: client)
            let rendered = try real.render(stack)
            passes += 1
            guard !lookup.unanswered.isEmpty, passes < 5 else { return rendered }
        }
    }

    private func renderer(entropy: any EntropySource, lookup: ClusterLookup?) -> StackRenderer {
        StackRenderer(
            charts: charts,
            engine: Helm.Engine(functions: Sprig.library(entropy: entropy, clock: SystemClock()), clusterReader: lookup))
    }
}

/// The system's randomness, with stand-in keys and certificates: for a render whose output
/// is dropped. Everything else is real, so a template that decrypts or hashes a value of
/// the spec renders as it will in the pass that counts.
private struct DiscoveryEntropy: EntropySource {
    private let system = SystemEntropy()

    func randomBytes(count: Int) -> [UInt8] { system.randomBytes(count: count) }
    func randomInt(in range: Range<Int>) -> Int { system.randomInt(in: range) }
    func randomString(length: Int, from alphabet: RandomAlphabet) -> String {
        system.randomString(length: length, from: alphabet)
    }

    var secrets: any SecretSource { DiscoverySecrets(real: system.secrets) }
}

private struct DiscoverySecrets: SecretSource {
    let real: any SecretSource
    private let standIn = StandInSecrets()

    func bcrypt(_ password: String) throws -> String { try real.bcrypt(password) }
    func encryptAES(_ plaintext: String, password: String) throws -> String {
        try real.encryptAES(plaintext, password: password)
    }
    func decryptAES(_ encoded: String, password: String) throws -> String {
        try real.decryptAES(encoded, password: password)
    }
    func privateKey(_ algorithm: KeyAlgorithm) throws -> String { try standIn.privateKey(algorithm) }
    func certificate(_ request: CertificateRequest) throws -> CertificateAndKey { try standIn.certificate(request) }
}

/// Helm's `lookup` answered from objects read before rendering.
///
/// Rendering is synchronous and the cluster is not, so the planner renders twice: a first
/// pass records every object the charts look up (answering "not found"), those objects are
/// read, and the real pass answers from what was read. Generated secrets are thereby found
/// and reused instead of regenerated on every install.
final class ClusterLookup: ClusterReader, Sendable {
    struct Key: Hashable, Sendable {
        var apiVersion: String
        var kind: String
        var namespace: String
        var name: String
    }

    private struct Answers {
        var known: [Key: Value?] = [:]
        var asked: Set<Key> = []
    }

    /// Renders call `lookup` synchronously, possibly from several threads.
    private let answers = Mutex(Answers())

    func lookup(apiVersion: String, kind: String, namespace: String, name: String) throws -> Value? {
        let key = Key(apiVersion: apiVersion, kind: kind, namespace: namespace, name: name)
        return answers.withLock { answers in
            if let answer = answers.known[key] { return answer }
            answers.asked.insert(key)
            return nil
        }
    }

    /// The lookups the last render made that have not been read yet.
    var unanswered: Set<Key> { answers.withLock { $0.asked.subtracting($0.known.keys) } }

    /// Reads every unanswered lookup from the cluster; a missing object or kind is remembered as nil.
    func fetchUnanswered(from client: KubeClient) async throws {
        for key in unanswered {
            let gvk = GroupVersionKind(apiVersion: key.apiVersion, kind: key.kind)
            let namespace = key.namespace.isEmpty ? nil : key.namespace
            let found: Value?
            do {
                if key.name.isEmpty {
                    let list = try await client.list(gvk, namespace: namespace)
                    found = ["apiVersion": .string(key.apiVersion), "kind": .string(key.kind + "List"), "items": .list(list.items)]
                } else {
                    found = try await client.get(gvk, name: key.name, namespace: namespace)
                }
            } catch let error as APIError where error.reason == .notFound {
                found = nil
            } catch is NoMappingError {
                found = nil
            }
            answers.withLock { $0.known[key] = .some(found) }
        }
    }
}
