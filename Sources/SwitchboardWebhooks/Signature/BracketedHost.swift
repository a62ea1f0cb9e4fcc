/// CPython 3.11's `urllib.parse._check_bracketed_host`: what may stand between `[` and `]` in a netloc.
///
/// Either IPvFuture (`v`, hex digits, `.`, at least one more character) or an IPv6 address as
/// `ipaddress.IPv6Address` accepts it (optional `%scope`, optional dotted IPv4 tail); a plain IPv4
/// address is refused, as Python does.
enum BracketedHost {
    static func isValid(_ host: [UInt8]) -> Bool {
        if host.first == UInt8(ascii: "v") {
            // \Av[a-fA-F0-9]+\..+\Z (tab, CR and LF were removed before, so "." matches anything left).
            let digits = host.dropFirst().prefix(while: isHexDigit)
            guard !digits.isEmpty, digits.endIndex < host.endIndex, host[digits.endIndex] == UInt8(ascii: ".") else {
                return false
            }
            return digits.endIndex + 1 < host.endIndex
        }
        if isIPv4(host[...]) { return false }  // "An IPv4 address cannot be in brackets"
        return isIPv6(host)
    }

    /// `ipaddress.IPv6Address(host)` succeeds.
    private static func isIPv6(_ host: [UInt8]) -> Bool {
        guard !host.contains(UInt8(ascii: "/")) else { return false }
        var address = host[...]
        if let percent = host.firstIndex(of: UInt8(ascii: "%")) {
            let scope = host[(percent + 1)...]
            guard !scope.isEmpty, !scope.contains(UInt8(ascii: "%")) else { return false }
            address = host[..<percent]
        }
        guard !address.isEmpty else { return false }
        var parts = address.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false).map { Array($0) }
        guard parts.count >= 3 else { return false }
        if let last = parts.last, last.contains(UInt8(ascii: ".")) {
            guard isIPv4(last[...]) else { return false }
            parts.removeLast()
            parts.append([UInt8(ascii: "0")])  // two hextets stand for the IPv4 tail; their value is irrelevant
            parts.append([UInt8(ascii: "0")])
        }
        guard parts.count <= 9 else { return false }
        var skipIndex: Int?
        for index in parts.indices.dropFirst().dropLast() where parts[index].isEmpty {
            if skipIndex != nil { return false }  // at most one "::"
            skipIndex = index
        }
        var high: Int
        var low: Int
        if let skipIndex {
            high = skipIndex
            low = parts.count - skipIndex - 1
            if parts[0].isEmpty {
                high -= 1
                if high != 0 { return false }
            }
            if parts[parts.count - 1].isEmpty {
                low -= 1
                if low != 0 { return false }
            }
            if 8 - (high + low) < 1 { return false }
        } else {
            guard parts.count == 8, !parts[0].isEmpty, !parts[7].isEmpty else { return false }
            high = 8
            low = 0
        }
        let hextets = parts[0..<high] + parts[(parts.count - low)...]
        return hextets.allSatisfy { !$0.isEmpty && $0.count <= 4 && $0.allSatisfy(isHexDigit) }
    }

    /// `ipaddress.IPv4Address(text)` succeeds: four decimal octets, no leading zeros, each at most 255.
    private static func isIPv4(_ text: ArraySlice<UInt8>) -> Bool {
        guard !text.contains(UInt8(ascii: "/")) else { return false }
        let octets = text.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard octets.count == 4 else { return false }
        return octets.allSatisfy { octet in
            guard !octet.isEmpty, octet.count <= 3, octet.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
                return false
            }
            if octet.count > 1 && octet.first == UInt8(ascii: "0") { return false }
            return octet.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) } <= 255
        }
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || ((byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "f"))
    }
}
