/// A request URL as twilio-python 9.13.0's `RequestValidator.validate` sees it: split by CPython 3.11's
/// `urllib.parse.urlparse`, so that ``write(_:to:)`` gives, byte for byte, the strings its `remove_port`
/// and `add_port` produce (`ParseResult.geturl()` with the netloc changed).
///
/// That round trip is not the identity, and the signature depends on it:
/// - leading C0 controls and spaces are stripped, and tab, CR and LF removed anywhere;
/// - the scheme is lower-cased; an empty `?` query or `#` fragment disappears; a `;` that ends the path
///   (empty `params`) disappears; `https:////x` becomes `https://x`;
/// - `remove_port` cuts the netloc at its first `:` (so `user:pass@host:8443` becomes `user`, a
///   twilio-python quirk kept on purpose), and only when a nonzero port is present;
/// - `add_port` appends `:443` (scheme `https`) or `:80` (anything else) when no nonzero port is present.
///
/// Where Python raises `ValueError` (a port that is not 0–65535 digits, unbalanced brackets in the netloc,
/// a bracketed host that is not IPv6 or `v…` IPvFuture), ``init(_:)`` returns nil and validation fails.
/// One check is not reproduced: Python also rejects a non-ASCII netloc that NFKC normalization turns
/// into one containing `/ ? # @ :`; such a URL is split here like any other.
struct SigningURL {
    /// Which URL `validate` signs.
    enum Variant {
        /// `remove_port(urlparse(url))`.
        case withoutPort
        /// `add_port(urlparse(url))`.
        case withPort
    }

    /// The cleaned URL the ranges index.
    private let bytes: UnsafeBufferPointer<UInt8>
    /// The scheme (before its `:`), lower-cased on output; empty when the URL has none.
    private let scheme: Range<Int>
    private let netloc: Range<Int>
    /// The path, params included, minus a trailing `;` that urlunparse would drop.
    private let path: Range<Int>
    /// The query without its `?`.
    private let query: Range<Int>
    private let fragment: Range<Int>
    /// The parsed port, nil when the netloc has none (or an empty one after `:`).
    private let port: Int?

    /// The query's bytes, without the `?`.
    var bytesOfQuery: Slice<UnsafeBufferPointer<UInt8>> { bytes[query] }

    /// How many bytes ``write(_:to:)`` may need for one variant of a URL of `count` cleaned bytes.
    static func capacity(forCleanedCount count: Int) -> Int { count + 8 }

    /// Splits `bytes`, which must already be cleaned by ``clean(_:into:)``; nil where Python raises.
    init?(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        let count = bytes.count
        // Scheme: up to the first ":", if it starts with an ASCII letter and has only scheme characters.
        var rest = 0
        var schemeRange = 0..<0
        if let colon = bytes.firstIndex(of: UInt8(ascii: ":")), colon > 0, Self.isASCIILetter(bytes[0]),
            bytes[..<colon].allSatisfy(Self.isSchemeCharacter)
        {
            schemeRange = 0..<colon
            rest = colon + 1
        }
        scheme = schemeRange
        // Netloc: after "//", up to the first of "/?#".
        var netlocRange = rest..<rest
        if count - rest >= 2 && bytes[rest] == UInt8(ascii: "/") && bytes[rest + 1] == UInt8(ascii: "/") {
            var end = rest + 2
            while end < count && bytes[end] != UInt8(ascii: "/") && bytes[end] != UInt8(ascii: "?") && bytes[end] != UInt8(ascii: "#") {
                end += 1
            }
            netlocRange = rest + 2..<end
            rest = end
        }
        netloc = netlocRange
        // Fragment after the first "#", then query after the first "?" before it.
        let hash = bytes[rest...].firstIndex(of: UInt8(ascii: "#")) ?? count
        fragment = hash < count ? hash + 1..<count : count..<count
        let question = bytes[rest..<hash].firstIndex(of: UInt8(ascii: "?")) ?? hash
        query = question < hash ? question + 1..<hash : hash..<hash
        // Params: urlparse splits at the first ";" after the last "/"; urlunparse drops the ";" when the
        // params are empty, i.e. when that ";" ends the path.
        var pathEnd = question
        if Self.usesParams(bytes[schemeRange]) {
            let lastSlash = bytes[rest..<question].lastIndex(of: UInt8(ascii: "/")) ?? rest
            if let semicolon = bytes[lastSlash..<question].firstIndex(of: UInt8(ascii: ";")), semicolon == question - 1 {
                pathEnd = semicolon
            }
        }
        path = rest..<pathEnd
        switch Self.port(of: bytes[netlocRange]) {
        case .absent: port = nil
        case .number(let number): port = number
        case .invalid: return nil
        }
    }

    /// Writes the variant at `output`'s start and returns how many bytes it took (at most
    /// ``capacity(forCleanedCount:)``).
    func write(_ variant: Variant, to output: UnsafeMutableBufferPointer<UInt8>) -> Int {
        var writer = ByteWriter(output)
        let hasPort = (port ?? 0) != 0
        var host = netloc
        var addedPort: StaticString = ""
        switch variant {
        case .withoutPort where hasPort:
            host = netloc.lowerBound..<(bytes[netloc].firstIndex(of: UInt8(ascii: ":")) ?? netloc.upperBound)
        case .withPort where !hasPort:
            addedPort = bytes[scheme].elementsEqual("https".utf8, by: { Self.lowercased($0) == $1 }) ? ":443" : ":80"
        default:
            break
        }
        // urlunsplit: "//" + netloc before the path when there is a netloc, or a netloc-using scheme and
        // a path not already starting with "//".
        let pathBytes = bytes[path]
        let pathHasDoubleSlash = pathBytes.starts(with: "//".utf8)
        if !scheme.isEmpty {
            for byte in bytes[scheme] { writer.append(Self.lowercased(byte)) }
            writer.append(UInt8(ascii: ":"))
        }
        if !host.isEmpty || addedPort.utf8CodeUnitCount > 0 || (!scheme.isEmpty && Self.usesNetloc(bytes[scheme]) && !pathHasDoubleSlash) {
            writer.append(UInt8(ascii: "/"))
            writer.append(UInt8(ascii: "/"))
            writer.append(bytes[host])
            writer.append(addedPort)
            if let first = pathBytes.first, first != UInt8(ascii: "/") {
                writer.append(UInt8(ascii: "/"))
            }
        }
        writer.append(pathBytes)
        if !query.isEmpty {
            writer.append(UInt8(ascii: "?"))
            writer.append(bytes[query])
        }
        if !fragment.isEmpty {
            writer.append(UInt8(ascii: "#"))
            writer.append(bytes[fragment])
        }
        return writer.count
    }

    /// urlsplit's cleaning: strips leading C0 controls and spaces, removes every tab, CR and LF.
    /// Writes into `output` (at least `url.count` bytes) and returns the count.
    static func clean(_ url: UnsafeBufferPointer<UInt8>, into output: UnsafeMutableBufferPointer<UInt8>) -> Int {
        var writer = ByteWriter(output)
        var index = 0
        while index < url.count && url[index] <= 0x20 { index += 1 }
        while index < url.count {
            let byte = url[index]
            if byte != 0x09 && byte != 0x0A && byte != 0x0D { writer.append(byte) }
            index += 1
        }
        return writer.count
    }

    // MARK: Netloc checks, as urlsplit and ParseResult.port do them.

    /// What `ParseResult.port` makes of a netloc.
    private enum PortField {
        case absent
        case number(Int)
        /// Python raises `ValueError` (bad port, unbalanced brackets, bad bracketed host).
        case invalid
    }

    /// The netloc's port; also runs urlsplit's bracket checks.
    private static func port(of netloc: Slice<UnsafeBufferPointer<UInt8>>) -> PortField {
        let open = netloc.firstIndex(of: UInt8(ascii: "["))
        let close = netloc.firstIndex(of: UInt8(ascii: "]"))
        if (open == nil) != (close == nil) { return .invalid }  // "Invalid IPv6 URL"
        if let open {
            let afterOpen = netloc[(open + 1)...]
            let hostEnd = afterOpen.firstIndex(of: UInt8(ascii: "]")) ?? afterOpen.endIndex
            guard BracketedHost.isValid(Array(afterOpen[..<hostEnd])) else { return .invalid }
        }
        // _hostinfo: after the last "@"; with "[", the port follows the first ":" after the first "]".
        let hostInfo = netloc[((netloc.lastIndex(of: UInt8(ascii: "@")) ?? netloc.startIndex - 1) + 1)...]
        let portBytes: Slice<UnsafeBufferPointer<UInt8>>
        if let bracket = hostInfo.firstIndex(of: UInt8(ascii: "[")) {
            let afterBracket = hostInfo[(bracket + 1)...]
            let closing = afterBracket.firstIndex(of: UInt8(ascii: "]"))
            let tail = closing.map { afterBracket[($0 + 1)...] } ?? afterBracket[afterBracket.endIndex...]
            portBytes = tail.firstIndex(of: UInt8(ascii: ":")).map { tail[($0 + 1)...] } ?? tail[tail.endIndex...]
        } else {
            portBytes = hostInfo.firstIndex(of: UInt8(ascii: ":")).map { hostInfo[($0 + 1)...] } ?? hostInfo[hostInfo.endIndex...]
        }
        if portBytes.isEmpty { return .absent }
        var value = 0
        for byte in portBytes {
            guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return .invalid }  // not an integer
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
            if value > 65535 { return .invalid }  // "Port out of range 0-65535"
        }
        return .number(value)
    }

    // MARK: Character classes and scheme lists of CPython 3.11's urllib.parse.

    private static func isASCIILetter(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
    }

    private static func isSchemeCharacter(_ byte: UInt8) -> Bool {
        isASCIILetter(byte) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "+")
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
    }

    private static let paramSchemes = [
        "", "ftp", "hdl", "prospero", "http", "imap", "https", "shttp", "rtsp", "rtsps", "rtspu", "sip", "sips", "mms",
        "sftp", "tel",
    ]
    private static let netlocSchemes = [
        "", "ftp", "http", "gopher", "nntp", "telnet", "imap", "wais", "file", "mms", "https", "shttp", "snews",
        "prospero", "rtsp", "rtsps", "rtspu", "rsync", "svn", "svn+ssh", "sftp", "nfs", "git", "git+ssh", "ws", "wss",
    ]

    private static func usesParams(_ scheme: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        isListed(scheme, in: paramSchemes)
    }

    private static func usesNetloc(_ scheme: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        isListed(scheme, in: netlocSchemes)
    }

    private static func isListed(_ scheme: Slice<UnsafeBufferPointer<UInt8>>, in list: [String]) -> Bool {
        if scheme.isEmpty { return true }
        if scheme.count == 5 && scheme.elementsEqual("https".utf8, by: { lowercased($0) == $1 }) { return true }
        if scheme.count == 4 && scheme.elementsEqual("http".utf8, by: { lowercased($0) == $1 }) { return true }
        return list.contains { scheme.elementsEqual($0.utf8, by: { lowercased($0) == $1 }) }
    }
}

/// Appends bytes to a buffer the caller sized.
struct ByteWriter {
    private let buffer: UnsafeMutableBufferPointer<UInt8>
    private(set) var count = 0

    init(_ buffer: UnsafeMutableBufferPointer<UInt8>) {
        self.buffer = buffer
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        precondition(count < buffer.count)
        buffer[count] = byte
        count += 1
    }

    @inline(__always)
    mutating func append(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) {
        guard let source = bytes.base.baseAddress, !bytes.isEmpty else { return }
        precondition(count + bytes.count <= buffer.count)
        (buffer.baseAddress! + count).initialize(from: source + bytes.startIndex, count: bytes.count)
        count += bytes.count
    }

    @inline(__always)
    mutating func append(_ string: StaticString) {
        append(UnsafeBufferPointer(start: string.utf8Start, count: string.utf8CodeUnitCount)[...])
    }
}
