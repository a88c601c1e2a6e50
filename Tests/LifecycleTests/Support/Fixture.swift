import Unstructured

/// Reads the JSON objects the tests are written in, with the project's own codec.
enum Fixture {
    static func json(_ text: String) throws -> Value {
        try JSON.parse(text, source: "fixture")
    }
}
