import Unstructured

/// Reads and writes request and response bodies: every body the Sandbox touches goes through
/// here, over Unstructured's JSON and YAML codecs.
enum BodyCodec {
    struct DecodeError: Error, CustomStringConvertible {
        let offset: Int
        let message: String
        var description: String { message }
    }

    static func decode(_ bytes: [UInt8]) throws(DecodeError) -> Value {
        do {
            return try JSON.parse(bytes: bytes, source: "body")
        } catch {
            throw DecodeError(offset: error.offset, message: error.message)
        }
    }

    /// YAML bodies (`application/yaml`, `application/apply-patch+yaml`); JSON is YAML too, but the
    /// JSON reader is faster and gives Go's messages, so JSON-looking bodies take that path.
    static func decode(_ bytes: [UInt8], contentType: String) throws(DecodeError) -> Value {
        let firstByte = bytes.first { ![0x20, 0x0A, 0x0D, 0x09].contains($0) }
        guard contentType.contains("yaml"), firstByte != UInt8(ascii: "{") else { return try decode(bytes) }
        do {
            return try YAML.parse(String(decoding: bytes, as: UTF8.self), source: "body")
        } catch {
            throw DecodeError(offset: 0, message: "error converting YAML to JSON: yaml: line \(error.line): \(error.message)")
        }
    }

    static func encode(_ value: Value) -> [UInt8] { Array(JSON.string(value).utf8) }

    static func encodeString(_ value: Value) -> String { JSON.string(value) }
}
