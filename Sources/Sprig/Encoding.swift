import Crypto
import FoundationEssentials
import GoTemplate
import Unstructured

/// Base64/base32 and checksums. Decoding failures are returned as the result text, not
/// raised: sprig's `b64dec` returns the decoder's error message as its value.
extension Sprig {
    static func encodingFunctions() -> FunctionLibrary {
        [
            "b64enc": .init(arity: 1) { a, _ in .string(Data(try a.string(0).utf8).base64EncodedString()) },
            "b64dec": .init(arity: 1) { a, _ in .string(Base64Text.decode(try a.string(0))) },
            "b32enc": .init(arity: 1) { a, _ in .string(Base32.encode(Array(try a.string(0).utf8))) },
            "b32dec": .init(arity: 1) { a, _ in
                switch Base32.decode(try a.string(0)) {
                case let .success(bytes): .string(String(decoding: bytes, as: UTF8.self))
                case let .failure(error): .string(error.message)
                }
            },
            "sha1sum": .init(arity: 1) { a, _ in .string(hex(Insecure.SHA1.hash(data: Array(try a.string(0).utf8)))) },
            "sha256sum": .init(arity: 1) { a, _ in .string(hex(SHA256.hash(data: Array(try a.string(0).utf8)))) },
            "sha512sum": .init(arity: 1) { a, _ in .string(hex(SHA512.hash(data: Array(try a.string(0).utf8)))) },
            "adler32sum": .init(arity: 1) { a, _ in .string(String(adler32(Array(try a.string(0).utf8)))) },
        ]
    }

    /// Two hex digits a byte, as Go's `%x` (or `%X`) prints bytes.
    static func hex(_ digest: some Sequence<UInt8>, uppercase: Bool = false) -> String {
        let digits = Array((uppercase ? "0123456789ABCDEF" : "0123456789abcdef").utf8)
        var out: [UInt8] = []
        for byte in digest {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// RFC 1950's Adler-32.
    static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1
        var b: UInt32 = 0
        for byte in bytes {
            a = (a + UInt32(byte)) % 65521
            b = (b + a) % 65521
        }
        return b << 16 | a
    }
}

/// Standard padded base64 decoding with Go's error text.
enum Base64Text {
    static func decode(_ text: String) -> String {
        if let data = Data(base64Encoded: text) { return String(decoding: data, as: UTF8.self) }
        return failureMessage(text)
    }

    /// Go's message for text that is not valid padded base64.
    static func failureMessage(_ text: String) -> String {
        let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        let bytes = Array(text.utf8)
        let firstBad = bytes.firstIndex { !alphabet.contains($0) && $0 != UInt8(ascii: "=") && $0 != 10 && $0 != 13 }
        let position = firstBad ?? bytes.firstIndex(of: UInt8(ascii: "=")) ?? (bytes.count / 4 * 4)
        return "illegal base64 data at input byte \(position)"
    }
}

/// RFC 4648 base32 with padding, as Go's `base32.StdEncoding`.
enum Base32 {
    struct DecodeError: Error { let message: String }
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        for start in stride(from: 0, to: bytes.count, by: 5) {
            let chunk = Array(bytes[start..<min(start + 5, bytes.count)])
            var buffer = [UInt8](repeating: 0, count: 5)
            buffer.replaceSubrange(0..<chunk.count, with: chunk)
            let bits = buffer.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            let characters = [0, 2, 4, 5, 7, 8][chunk.count]
            for index in 0..<8 {
                out.append(index < characters ? alphabet[Int((bits >> UInt64(35 - 5 * index)) & 31)] : UInt8(ascii: "="))
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func decode(_ text: String) -> Result<[UInt8], DecodeError> {
        let input = Array(text.utf8).filter { $0 != 10 && $0 != 13 }
        guard input.count % 8 == 0 else {
            return .failure(DecodeError(message: "illegal base32 data at input byte \(input.count / 8 * 8)"))
        }
        var out: [UInt8] = []
        for start in stride(from: 0, to: input.count, by: 8) {
            let group = input[start..<(start + 8)]
            var bits: UInt64 = 0
            var count = 0
            for (offset, character) in group.enumerated() {
                if character == UInt8(ascii: "=") {
                    guard start + 8 == input.count, group[(start + offset)...].allSatisfy({ $0 == UInt8(ascii: "=") }) else {
                        return .failure(DecodeError(message: "illegal base32 data at input byte \(start + offset)"))
                    }
                    break
                }
                guard let value = alphabet.firstIndex(of: character) else {
                    return .failure(DecodeError(message: "illegal base32 data at input byte \(start + offset)"))
                }
                bits = bits << 5 | UInt64(value)
                count += 1
            }
            bits <<= UInt64(5 * (8 - count))
            let produced = [0, 0, 1, 1, 2, 3, 3, 4, 5][count]
            for index in 0..<produced { out.append(UInt8((bits >> UInt64(32 - 8 * index)) & 0xff)) }
        }
        return .success(out)
    }
}
