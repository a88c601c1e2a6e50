import FoundationEssentials
import Unstructured

/// The rules that the schema alone cannot express: combinations of fields. Each issue names
/// the field to change and the change that fixes it.
public enum SpecValidation {
    public static func issues(in spec: SeldonOperatorSpec) -> [SpecIssue] {
        var issues: [SpecIssue] = []
        let enable = FieldPath("spec.enable")
        if spec.isEnabled(.detectors) {
            for needed in [Feature.routing, .payloadstore] where !spec.isEnabled(needed) {
                issues.append(SpecIssue(enable.appending(Feature.detectors.rawValue),
                    "detectors need \(needed.rawValue) (\(needed == .routing ? "the request logger is reached through Istio" : "the request logger stores payloads there"))",
                    fix: "set spec.enable.\(needed.rawValue): true, or spec.enable.detectors: false"))
            }
        }
        if spec.isEnabled(.routing) {
            issues += gatewayIssues(spec)
        }
        if spec.isEnabled(.payloadstore), !spec.useInternalElastic {
            issues += externalElasticsearchIssues(spec)
        }
        return issues
    }

    private static func gatewayIssues(_ spec: SeldonOperatorSpec) -> [SpecIssue] {
        let path = FieldPath("spec.core.values.istio.gateway")
        let gateway = spec.coreValues[path: ["istio", "gateway"]]
        switch gateway {
        case .null where !spec.createGateway:
            return [SpecIssue(path, "spec.routing.create_gateway is false but no existing Gateway is named",
                              fix: "set it to the Gateway to use as NAMESPACE/NAME (e.g. istio-system/seldon-gateway), or set spec.routing.create_gateway: true")]
        case .null:
            return []
        case let .string(name) where GatewayReference(name) != nil:
            return []
        default:
            return [SpecIssue(path, "expected a Gateway as NAMESPACE/NAME or NAME, got \(describe(gateway))",
                              fix: "e.g. istio-system/seldon-gateway")]
        }
    }

    private static func externalElasticsearchIssues(_ spec: SeldonOperatorSpec) -> [SpecIssue] {
        let path = FieldPath("spec.enterprise.values.elasticsearch.url")
        let url = spec.enterpriseValues[path: ["elasticsearch", "url"]]
        switch url {
        case .null:
            return [SpecIssue(path, "spec.payloadstore.internal_elastic.use_internal is false but no external Elasticsearch URL is given",
                              fix: "set it to the cluster's URL (e.g. https://elasticsearch.logs.svc.cluster.local:9200), or set use_internal: true")]
        case let .string(text) where ElasticsearchEndpoint(url: text) != nil:
            return []
        default:
            return [SpecIssue(path, "expected an http or https URL with a host, got \(describe(url))",
                              fix: "e.g. https://elasticsearch.logs.svc.cluster.local:9200")]
        }
    }

    private static func describe(_ value: Value) -> String {
        if case let .string(text) = value { return "\"\(text)\"" }
        return value.kindName
    }
}

/// An Istio Gateway reference as VirtualServices write it: `namespace/name` or `name`.
public struct GatewayReference: Equatable, Sendable, CustomStringConvertible {
    public let namespace: String?
    public let name: String

    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard (1...2).contains(parts.count), parts.allSatisfy(DNSName.isLabel) else { return nil }
        namespace = parts.count == 2 ? parts[0] : nil
        name = parts[parts.count - 1]
    }

    public var description: String { namespace.map { "\($0)/\(name)" } ?? name }
}

/// Where the request logger reaches Elasticsearch, split the way Seldon's request logger
/// is configured (host, port, protocol).
public struct ElasticsearchEndpoint: Equatable, Sendable {
    public let scheme: String
    public let host: String
    public let port: Int

    public init?(url: String) {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              ["http", "https"].contains(scheme), let host = components.host, !host.isEmpty
        else { return nil }
        self.scheme = scheme
        self.host = host
        self.port = components.port ?? 9200
    }

    public init(scheme: String, host: String, port: Int) {
        self.scheme = scheme
        self.host = host
        self.port = port
    }

    public var url: String { "\(scheme)://\(host):\(port)" }
}

/// Kubernetes name rules (RFC 1123), used for the names the stack checks itself.
public enum DNSName {
    /// A DNS-1123 label: at most 63 lowercase alphanumerics or '-', starting and ending alphanumeric.
    public static func isLabel(_ text: String) -> Bool {
        guard (1...63).contains(text.utf8.count), let first = text.utf8.first, let last = text.utf8.last else { return false }
        return isAlphanumeric(first) && isAlphanumeric(last) && text.utf8.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") }
    }

    /// A DNS-1123 subdomain: at most 253 characters, labels separated by dots.
    public static func isSubdomain(_ text: String) -> Bool {
        text.utf8.count <= 253 && text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { isLabel(String($0)) }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
