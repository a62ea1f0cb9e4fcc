import SwitchboardWebhooks

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A directory on local disk where voicemails the store has not taken yet are kept, one file each, so
/// that neither a restart nor a crash loses them: the next ``VoicemailOutbox`` over the same directory
/// saves them.
///
/// Each voicemail is a small JSON file named after its recording SID. It is written whole (to a hidden
/// temporary file, flushed to disk, then renamed), so a reader finds either the whole file or none.
/// A file goes once the store has the voicemail; one the store rejects for good moves to `rejected/`,
/// where an operator finds it, rather than being deleted. Several instances may share a directory
/// (two servers on one SQLite file, say): saving a voicemail is idempotent by recording SID, so at worst
/// two of them save the same one.
public struct VoicemailSpool: Sendable {
    /// The directory.
    public let directory: String

    /// One voicemail as kept on disk: the recording status callback's fields and when it arrived.
    struct Entry: Codable, Equatable {
        var version = 1
        var accountSid: String
        var callSid: String
        var recordingSid: String
        var recordingUrl: String
        var recordingStatus: String
        var recordingDuration: Int?
        var recordingChannels: Int?
        var recordingSource: String?
        var recordingStartTime: String?
        var receivedAt: Date

        init(_ callback: RecordingStatusCallback, receivedAt: Date) {
            accountSid = callback.accountSid
            callSid = callback.callSid
            recordingSid = callback.recordingSid
            recordingUrl = callback.recordingUrl
            recordingStatus = callback.recordingStatus.rawValue
            recordingDuration = callback.recordingDuration
            recordingChannels = callback.recordingChannels
            recordingSource = callback.recordingSource
            recordingStartTime = callback.recordingStartTime
            self.receivedAt = receivedAt
        }

        var callback: RecordingStatusCallback {
            RecordingStatusCallback(
                accountSid: accountSid,
                callSid: callSid,
                recordingSid: recordingSid,
                recordingUrl: recordingUrl,
                recordingStatus: RecordingStatus(rawValue: recordingStatus),
                recordingDuration: recordingDuration,
                recordingChannels: recordingChannels,
                recordingSource: recordingSource,
                recordingStartTime: recordingStartTime
            )
        }
    }

    /// What ``load()`` found: the voicemails, oldest first, and the files it could not read (left where
    /// they are).
    public struct Contents: Sendable {
        /// Each voicemail and when it arrived, oldest first.
        public var voicemails: [(callback: RecordingStatusCallback, receivedAt: Date)]
        /// The paths of files that are not a voicemail this version can read.
        public var unreadable: [String]
    }

    /// A spool in `directory`; nothing is touched before the first write or ``prepare()``.
    public init(directory: String) {
        self.directory = directory
    }

    /// The subdirectory for voicemails the store rejected for good.
    public var rejectedDirectory: String { directory + "/rejected" }

    /// Creates the directory (and `rejected/`) when missing, so a spool that cannot be written is found
    /// at start rather than when a voicemail needs it.
    public func prepare() throws(SpoolError) {
        try Self.makeDirectory(directory)
        try Self.makeDirectory(rejectedDirectory)
        // A directory that exists but cannot be written fails here too.
        let probe = directory + "/.probe-\(UInt64.random(in: .min ... .max))"
        try Self.write(Array("probe".utf8), to: probe)
        unlink(probe)
    }

    /// Keeps the voicemail of `callback` on disk, replacing an earlier copy of the same recording.
    public func keep(_ callback: RecordingStatusCallback, receivedAt: Date) throws(SpoolError) {
        let bytes: Data
        do {
            let encoder = JSONEncoder()
            // Dates as Foundation keeps them (seconds since 2001), so they read back exactly.
            encoder.dateEncodingStrategy = .deferredToDate
            encoder.outputFormatting = [.sortedKeys]
            bytes = try encoder.encode(Entry(callback, receivedAt: receivedAt))
        } catch {
            throw SpoolError(path: directory, reason: "cannot encode the voicemail: \(error)")
        }
        try prepare()
        let path = self.path(of: callback.recordingSid)
        let temporary = directory + "/.\(Self.fileName(callback.recordingSid)).\(UInt64.random(in: .min ... .max)).tmp"
        try Self.write(Array(bytes), to: temporary)
        guard rename(temporary, path) == 0 else {
            let error = Self.errorText()
            unlink(temporary)
            throw SpoolError(path: path, reason: "cannot rename \(temporary) to it: \(error)")
        }
        Self.flushDirectory(directory)
    }

    /// Forgets a voicemail the store has taken. A file already gone (another instance took it) is fine.
    public func remove(_ recordingSid: String) throws(SpoolError) {
        let path = self.path(of: recordingSid)
        guard unlink(path) == 0 || errno == ENOENT else { throw SpoolError(path: path, reason: Self.errorText()) }
    }

    /// Moves a voicemail the store rejects for good to `rejected/`, and returns its new path.
    @discardableResult
    public func setAside(_ recordingSid: String) throws(SpoolError) -> String {
        try Self.makeDirectory(rejectedDirectory)
        let target = rejectedDirectory + "/" + Self.fileName(recordingSid) + ".json"
        guard rename(path(of: recordingSid), target) == 0 || errno == ENOENT else {
            throw SpoolError(path: target, reason: Self.errorText())
        }
        return target
    }

    /// Every voicemail the directory keeps, oldest first. A missing directory keeps none; a file that
    /// cannot be read is reported and left alone.
    public func load() throws(SpoolError) -> Contents {
        var contents = Contents(voicemails: [], unreadable: [])
        guard let stream = opendir(directory) else {
            if errno == ENOENT { return contents }
            throw SpoolError(path: directory, reason: Self.errorText())
        }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            // Hidden names are temporary files of writes in progress (or cut short by a crash).
            guard !name.hasPrefix("."), name.hasSuffix(".json") else { continue }
            names.append(name)
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .deferredToDate
        var entries: [Entry] = []
        for name in names {
            let path = directory + "/" + name
            guard let bytes = try? Self.read(path), let entry = try? decoder.decode(Entry.self, from: Data(bytes)), entry.version == 1
            else {
                contents.unreadable.append(path)
                continue
            }
            entries.append(entry)
        }
        entries.sort { ($0.receivedAt, $0.recordingSid) < ($1.receivedAt, $1.recordingSid) }
        contents.voicemails = entries.map { ($0.callback, $0.receivedAt) }
        contents.unreadable.sort()
        return contents
    }

    /// Where the voicemail of `recordingSid` is kept.
    func path(of recordingSid: String) -> String {
        directory + "/" + Self.fileName(recordingSid) + ".json"
    }

    /// A file name for a recording SID: letters, digits, `-` and `_` as they are, any other byte as
    /// `%XX`, so that no SID (`../x`, say) names a file outside the directory.
    static func fileName(_ recordingSid: String) -> String {
        var name = ""
        for byte in recordingSid.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"):
                name.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                name += "%" + String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 15)]], as: UTF8.self)
            }
        }
        return name.isEmpty ? "%" : name
    }

    /// Makes `path` a directory, with any missing parents (as `mkdir -p` does).
    private static func makeDirectory(_ path: String) throws(SpoolError) {
        if mkdir(path, 0o700) != 0, errno == ENOENT, let slash = path.lastIndex(of: "/"), slash != path.startIndex {
            try makeDirectory(String(path[..<slash]))
            _ = mkdir(path, 0o700)
        }
        guard mkdir(path, 0o700) == 0 || errno == EEXIST else { throw SpoolError(path: path, reason: errorText()) }
        var status = stat()
        guard stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFDIR else {
            throw SpoolError(path: path, reason: "not a directory")
        }
    }

    /// Writes `bytes` to a new file at `path` and flushes it to disk.
    private static func write(_ bytes: [UInt8], to path: String) throws(SpoolError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw SpoolError(path: path, reason: errorText()) }
        var failure: String?
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = errorText()
                    return
                }
                offset += written
            }
        }
        if failure == nil, fsync(descriptor) != 0 { failure = errorText() }
        close(descriptor)
        if let failure {
            unlink(path)
            throw SpoolError(path: path, reason: failure)
        }
    }

    private static func read(_ path: String) throws(SpoolError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw SpoolError(path: path, reason: errorText()) }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress!, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw SpoolError(path: path, reason: errorText())
            }
            if count == 0 { return bytes }
            bytes += chunk[0..<count]
        }
    }

    /// Makes a rename in `path` durable. Best effort: a failure leaves the file written, only perhaps
    /// under its temporary name after a power cut.
    private static func flushDirectory(_ path: String) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }

    private static func errorText() -> String {
        String(cString: strerror(errno))
    }
}
