import FoundationEssentials

/// bcrypt (`$2a$`), as Go's x/crypto/bcrypt writes it: the expensive Blowfish key
/// schedule over the password with a NUL appended (at most 72 bytes), then
/// "OrpheanBeholderScryDoubt" encrypted 64 times; salt and hash in bcrypt's base64.
enum Bcrypt {
    static func hash(password: [UInt8], salt: [UInt8], cost: Int = 10) -> String {
        var key = password + [0]
        if key.count > 72 { key = Array(key[..<72]) }
        var cipher = Blowfish()
        cipher.expand(key: key, salt: salt)
        for _ in 0..<(1 << cost) {
            cipher.expand(key: key)
            cipher.expand(key: salt)
        }
        var words: [UInt32] = stride(from: 0, to: 24, by: 4).map { offset in
            Array("OrpheanBeholderScryDoubt".utf8)[offset..<(offset + 4)].reduce(0) { $0 << 8 | UInt32($1) }
        }
        for _ in 0..<64 {
            for index in stride(from: 0, to: 6, by: 2) {
                (words[index], words[index + 1]) = cipher.encrypt(words[index], words[index + 1])
            }
        }
        let bytes = words.flatMap { word in (0..<4).map { UInt8(truncatingIfNeeded: word >> (24 - 8 * $0)) } }
        return "$2a$" + GoLayout.zeroPadded(cost, width: 2) + "$" + encode(salt) + encode(Array(bytes[..<23]))
    }

    private static let standard = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
    private static let alphabet = Array("./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")

    /// Base64 with bcrypt's alphabet and no padding.
    static func encode(_ bytes: [UInt8]) -> String {
        String(Data(bytes).base64EncodedString().compactMap { character in
            standard.firstIndex(of: character).map { alphabet[$0] }
        })
    }

    /// The inverse of `encode`; nil for text outside bcrypt's alphabet.
    static func decode(_ text: String) -> [UInt8]? {
        var translated = ""
        for character in text {
            guard let index = alphabet.firstIndex(of: character) else { return nil }
            translated.append(standard[index])
        }
        translated += String(repeating: "=", count: (4 - translated.count % 4) % 4)
        return Data(base64Encoded: translated).map(Array.init)
    }
}

/// Blowfish with the key schedule bcrypt needs (salted and unsalted expansion).
private struct Blowfish {
    private var p = Array(PiDigits.words[0..<18])
    private var s = Array(PiDigits.words[18...])

    private func f(_ x: UInt32) -> UInt32 {
        let a = s[Int(x >> 24)], b = s[256 + Int(x >> 16 & 0xff)]
        let c = s[512 + Int(x >> 8 & 0xff)], d = s[768 + Int(x & 0xff)]
        return ((a &+ b) ^ c) &+ d
    }

    func encrypt(_ left: UInt32, _ right: UInt32) -> (UInt32, UInt32) {
        var (l, r) = (left, right)
        for round in stride(from: 0, to: 16, by: 2) {
            l ^= p[round]
            r ^= f(l)
            r ^= p[round + 1]
            l ^= f(r)
        }
        return (r ^ p[17], l ^ p[16])
    }

    /// The next four bytes of `data` read cyclically, big-endian.
    private static func word(_ data: [UInt8], _ position: inout Int) -> UInt32 {
        var word: UInt32 = 0
        for _ in 0..<4 {
            word = word << 8 | UInt32(data[position])
            position = (position + 1) % data.count
        }
        return word
    }

    /// The key schedule; with a salt, the salt's words are mixed into each block first.
    mutating func expand(key: [UInt8], salt: [UInt8]? = nil) {
        var keyPosition = 0
        for index in 0..<18 { p[index] ^= Self.word(key, &keyPosition) }
        var saltPosition = 0
        var (l, r): (UInt32, UInt32) = (0, 0)
        func next() -> (UInt32, UInt32) {
            if let salt {
                l ^= Self.word(salt, &saltPosition)
                r ^= Self.word(salt, &saltPosition)
            }
            (l, r) = encrypt(l, r)
            return (l, r)
        }
        for index in stride(from: 0, to: 18, by: 2) { (p[index], p[index + 1]) = next() }
        for index in stride(from: 0, to: 1024, by: 2) { (s[index], s[index + 1]) = next() }
    }
}
