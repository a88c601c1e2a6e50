/// JSON in and out of `Value`s. Reading works on UTF-8 bytes and keeps integers as `.int`
/// (see `JSONReader`); writing has three styles (see `JSONStyle`).
public enum JSON {
    /// The value of the JSON text `text`; throws with the position of the first problem.
    public static func parse(_ text: String, source: String = "<input>") throws(JSONError) -> Value {
        var text = text
        let result = text.withUTF8 { bytes in
            Result { () throws(JSONError) -> Value in try JSONReader.read(bytes, source: source) }
        }
        return try result.get()
    }

    /// The value of the JSON text in `bytes` (a request body, a file's contents).
    public static func parse(bytes: some Collection<UInt8>, source: String = "<input>") throws(JSONError) -> Value {
        let result = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(JSONError) -> Value in try JSONReader.read(buffer, source: source) }
        }
        if let result { return try result.get() }
        let copy = Array(bytes)
        return try copy.withUnsafeBufferPointer { buffer in
            Result { () throws(JSONError) -> Value in try JSONReader.read(buffer, source: source) }
        }.get()
    }

    /// `value` as JSON text in `style`; host objects are written as their representation.
    public static func string(_ value: Value, style: JSONStyle = .compact) -> String {
        JSONWriter.string(value, style: style)
    }
}
