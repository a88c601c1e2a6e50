import GoTemplate
import Unstructured

/// `urlParse`, `urlJoin` and `urlquery`, in the shape of Go's `net/url`.
extension Sprig {
    static func urlFunctions() -> FunctionLibrary {
        [
            "urlParse": .init(arity: 1) { a, _ in
                let text = try a.string(0)
                guard let url = GoURL(parsing: text) else {
                    let reason = text.hasPrefix(":") ? "missing protocol scheme" : "invalid URL"
                    throw FunctionError("unable to parse url: parse \(GoQuote.quote(text)): \(reason)")
                }
                return .map([
                    "scheme": .string(url.scheme), "host": .string(url.host), "hostname": .string(url.hostname),
                    "path": .string(url.path), "query": .string(url.query), "opaque": .string(url.opaque),
                    "fragment": .string(url.fragment), "userinfo": .string(url.userinfo),
                ])
            },
            "urlJoin": .init(arity: 1) { a, _ in
                let map = try a.map(0) ?? [:]
                let part = { (key: String) in map[key].map(Go.string) ?? "" }
                return .string(GoURL(scheme: part("scheme"), userinfo: part("userinfo"), host: part("host"), path: part("path"),
                                     query: part("query"), fragment: part("fragment"), opaque: part("opaque")).string)
            },
            "urlquery": .init(atLeast: 0) { a, _ in .string(GoURL.queryEscape(GoFormat.sprint(a))) },
        ]
    }
}

/// The parts of a URL as Go's `url.URL` holds them.
struct GoURL {
    var scheme = "", userinfo = "", host = "", path = "", query = "", fragment = "", opaque = ""

    var hostname: String {
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") { return String(host[host.index(after: host.startIndex)..<close]) }
        if let colon = host.lastIndex(of: ":") { return String(host[..<colon]) }
        return host
    }

    init(scheme: String, userinfo: String, host: String, path: String, query: String, fragment: String, opaque: String) {
        (self.scheme, self.userinfo, self.host, self.path) = (scheme, userinfo, host, path)
        (self.query, self.fragment, self.opaque) = (query, fragment, opaque)
    }

    /// `url.Parse`: scheme, then `//authority`, path, `?query`, `#fragment`; nil for a
    /// leading colon (Go's "missing protocol scheme") or bad escapes.
    init?(parsing text: String) {
        var rest = Substring(text)
        if let hash = rest.firstIndex(of: "#") {
            guard let decoded = Self.percentDecoded(rest[rest.index(after: hash)...]) else { return nil }
            fragment = decoded
            rest = rest[..<hash]
        }
        if let colon = rest.firstIndex(of: ":"), rest[..<colon].allSatisfy({ $0.isLetter || $0.isNumber || "+-.".contains($0) }) {
            guard colon != rest.startIndex, rest.first?.isLetter == true else { return nil }
            scheme = rest[..<colon].lowercased()
            rest = rest[rest.index(after: colon)...]
        }
        if let question = rest.firstIndex(of: "?") {
            query = String(rest[rest.index(after: question)...])
            rest = rest[..<question]
        }
        if !scheme.isEmpty, !rest.hasPrefix("/") {
            opaque = String(rest)
            return
        }
        if rest.hasPrefix("//") {
            rest = rest.dropFirst(2)
            let end = rest.firstIndex(of: "/") ?? rest.endIndex
            var authority = rest[..<end]
            rest = rest[end...]
            if let at = authority.lastIndex(of: "@") {
                userinfo = String(authority[..<at])
                authority = authority[authority.index(after: at)...]
            }
            host = String(authority)
        }
        guard let decodedPath = Self.percentDecoded(rest) else { return nil }
        path = decodedPath
    }

    /// `url.URL.String()`.
    var string: String {
        var out = ""
        if !scheme.isEmpty { out += scheme + ":" }
        if !opaque.isEmpty {
            out += opaque
        } else {
            if !scheme.isEmpty || !host.isEmpty || !userinfo.isEmpty {
                if !host.isEmpty || !path.isEmpty || !userinfo.isEmpty { out += "//" }
                if !userinfo.isEmpty { out += userinfo + "@" }
                out += host
            }
            let escapedPath = Self.percentEncoded(path)
            if !escapedPath.isEmpty, !escapedPath.hasPrefix("/"), !host.isEmpty { out += "/" }
            out += escapedPath
        }
        if !query.isEmpty { out += "?" + query }
        if !fragment.isEmpty { out += "#" + Self.percentEncoded(fragment) }
        return out
    }

    /// The bytes a path or fragment keeps as they are: unreserved characters, sub-delimiters, `:`, `@` and `/`.
    private static let pathAllowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/".utf8)

    /// Every other UTF-8 byte as `%XX`.
    static func percentEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            if pathAllowed.contains(byte) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += "%" + Sprig.hex([byte], uppercase: true)
            }
        }
        return out
    }

    /// `%XX` escapes decoded; nil for a `%` without two hex digits or bytes that are not UTF-8.
    static func percentDecoded(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var rest = text.utf8[...]
        while let byte = rest.popFirst() {
            guard byte == UInt8(ascii: "%") else { bytes.append(byte); continue }
            guard let high = rest.popFirst().flatMap(hexValue), let low = rest.popFirst().flatMap(hexValue) else { return nil }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// `url.QueryEscape`: spaces become `+`, everything but unreserved characters is escaped.
    static func queryEscape(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " "): out += "+"
            default: out += "%" + Sprig.hex([byte], uppercase: true)
            }
        }
        return out
    }
}
