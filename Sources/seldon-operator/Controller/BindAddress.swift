import ArgumentParser

/// `--metrics-bind-address :8080`: where an HTTP endpoint listens, as controller-runtime's
/// flags write it (`HOST:PORT`, `:PORT` for every interface); `0` turns the endpoint off.
struct BindAddress: ExpressibleByArgument, Equatable {
    /// nil when off.
    let host: String?
    let port: Int

    /// `:PORT`: every interface.
    init(everyInterfaceOn port: Int) {
        host = "0.0.0.0"
        self.port = port
    }

    init?(argument: String) {
        if argument == "0" {
            host = nil
            port = 0
            return
        }
        guard let colon = argument.lastIndex(of: ":"), let port = Int(argument[argument.index(after: colon)...]),
              (0...65535).contains(port) else { return nil }
        // `[::1]:8080`: an IPv6 host is written in brackets.
        let isBracket: (Character) -> Bool = { $0 == "[" || $0 == "]" }
        var host = argument[..<colon].drop(while: isBracket)
        while let last = host.last, isBracket(last) { host = host.dropLast() }
        self.host = host.isEmpty ? "0.0.0.0" : String(host)
        self.port = port
    }

    var isOff: Bool { host == nil }

    var defaultValueDescription: String { host.map { "\($0 == "0.0.0.0" ? "" : $0):\(port)" } ?? "0" }
}
