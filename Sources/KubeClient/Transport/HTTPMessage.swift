/// One HTTP request as the client hands it to the transport: the verb layer builds it,
/// auth decorates it, the transport only moves bytes.
public struct HTTPRequest: Sendable {
    public var method: String
    /// The absolute URL, query included.
    public var url: String
    public var headers: HTTPHeaders
    public var body: [UInt8]?
    /// The longest the whole exchange may take; nil for no limit (watches bound themselves
    /// with `timeoutSeconds` on the server side).
    public var timeout: Duration?

    public init(method: String, url: String, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8]? = nil, timeout: Duration? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}

/// Header fields in the order they were added; names compare case-insensitively.
public struct HTTPHeaders: Sendable, ExpressibleByDictionaryLiteral, Sequence {
    public private(set) var fields: [(name: String, value: String)] = []

    public init() {}

    public init(dictionaryLiteral elements: (String, String)...) {
        fields = elements.map { (name: $0.0, value: $0.1) }
    }

    public subscript(name: String) -> String? {
        fields.first { $0.name.caseInsensitiveEquals(name) }?.value
    }

    /// Replaces every field called `name` with one field.
    public mutating func set(_ name: String, _ value: String) {
        fields.removeAll { $0.name.caseInsensitiveEquals(name) }
        fields.append((name: name, value: value))
    }

    public mutating func add(_ name: String, _ value: String) {
        fields.append((name: name, value: value))
    }

    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> {
        fields.makeIterator()
    }
}

/// A complete response. Non-2xx responses are returned too: deciding what a status means
/// is the API layer's job, not the transport's.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// Facts about the connection, for the request log.
    public var connection: ConnectionInfo
}

/// What curl reports about the connection a transfer used.
public struct ConnectionInfo: Sendable, Equatable {
    /// True when the transfer ran on a connection an earlier transfer opened.
    public var reused: Bool
    /// "1.1" or "2".
    public var httpVersion: String
    /// The local port of the connection: the same port on two requests means one TCP connection.
    public var localPort: Int
}

/// The head of a streamed response and the body as it arrives.
public struct HTTPStreamingResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var connection: ConnectionInfo
    /// Body bytes in the pieces the network delivered; ends when the server closes the
    /// response, throws `TransportError` when the connection breaks.
    public var body: AsyncThrowingStream<[UInt8], any Error>
}

extension String {
    func caseInsensitiveEquals(_ other: String) -> Bool {
        count == other.count && lowercased() == other.lowercased()
    }
}
