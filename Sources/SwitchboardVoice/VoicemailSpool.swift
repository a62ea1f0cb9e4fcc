import SwitchboardCore
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
    /// Run before each ``keep(_:receivedAt:tenant:)`` (tests stall it, as a stalled disk would).
    var beforeKeep: (@Sendable () -> Void)? = nil

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
        /// The tenant its callback URL named, if any (absent in files written before it was kept).
        var tenant: String?

        init(_ callback: RecordingStatusCallback, receivedAt: Date, tenant: TenantID?) {
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
            self.tenant = tenant?.rawValue
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
        /// Each voicemail, when it arrived and the tenant its callback named, oldest first.
        public var voicemails: [(callback: RecordingStatusCallback, receivedAt: Date, tenant: TenantID?)]
        /// The paths of files that are not a voicemail this version can read.
        public var unreadable: [String]
    }

    /// A spool in `directory`; nothing is touched before the first write or ``prepare()``.
    public init(directory: String) {
        self.directory = directory
    }

    /// The subdirectory for voicemails the store rejected for good.
    public var rejectedDirectory: String { directory + "/rejected" }

    /// The directory `switchboard serve` uses when none is configured: beside the embedded store's file
    /// (`DATABASE-voicemail-spool`), or `switchboard-voicemail-spool` in the working directory for a
    /// store without a file (nil `sqliteDatabase`).
    public static func defaultDirectory(sqliteDatabase: String?) -> String {
        sqliteDatabase.map { $0 + "-voicemail-spool" } ?? "switchboard-voicemail-spool"
    }

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

    /// Keeps the voicemail of `callback` (of `tenant`, when its callback named one) on disk, replacing
    /// an earlier copy of the same recording.
    public func keep(_ callback: RecordingStatusCallback, receivedAt: Date, tenant: TenantID? = nil) throws(SpoolError) {
        beforeKeep?()
        try Self.writeWhole(Self.encode(callback, receivedAt: receivedAt, tenant: tenant), named: Self.fileName(callback.recordingSid), in: directory)
    }

    /// Forgets a voicemail the store has taken. A file already gone (another instance took it) is fine.
    public func remove(_ recordingSid: String) throws(SpoolError) {
        let path = self.path(of: recordingSid)
        guard unlink(path) == 0 || errno == ENOENT else { throw .system(path) }
    }

    /// Keeps the voicemail of `callback`, which the store rejects for good, in `rejected/` for an
    /// operator, and (with `removingWaitingCopy`) forgets its waiting copy. Returns the new file's path.
    @discardableResult
    public func reject(
        _ callback: RecordingStatusCallback,
        receivedAt: Date,
        tenant: TenantID? = nil,
        removingWaitingCopy: Bool = true
    ) throws(SpoolError) -> String {
        let name = Self.fileName(callback.recordingSid)
        try Self.writeWhole(Self.encode(callback, receivedAt: receivedAt, tenant: tenant), named: name, in: rejectedDirectory)
        if removingWaitingCopy { try remove(callback.recordingSid) }
        return Self.file(name, in: rejectedDirectory)
    }

    /// A recording status callback too malformed to read as a voicemail, kept as Twilio sent it.
    struct Unreadable: Codable {
        /// The form, `application/x-www-form-urlencoded` as Twilio sent it.
        var form: String
        var receivedAt: Date
        var tenant: String?
        /// Why it could not be read.
        var reason: String
    }

    /// Keeps a recording status callback that cannot be read as a voicemail (a required parameter is
    /// missing) in `rejected/`, whole, for an operator. Returns the new file's path.
    @discardableResult
    public func rejectUnreadable(_ form: FormParameters, receivedAt: Date, tenant: TenantID?, reason: String) throws(SpoolError) -> String {
        let record = Unreadable(form: form.encoded(), receivedAt: receivedAt, tenant: tenant?.rawValue, reason: reason)
        let bytes = try Self.json(record, describing: "the callback", at: rejectedDirectory)
        // No recording SID to name it by: the time it came and a random part, so none overwrites another.
        let name = "unreadable-\(Int64(receivedAt.timeIntervalSince1970 * 1000))-\(UInt32.random(in: .min ... .max))"
        try Self.writeWhole(bytes, named: name, in: rejectedDirectory)
        return Self.file(name, in: rejectedDirectory)
    }

    private static func encode(_ callback: RecordingStatusCallback, receivedAt: Date, tenant: TenantID?) throws(SpoolError) -> [UInt8] {
        try json(Entry(callback, receivedAt: receivedAt, tenant: tenant), describing: "the voicemail", at: callback.recordingSid)
    }

    /// `value` as the spool's JSON; a failure names `what` and `path`.
    private static func json(_ value: some Encodable, describing what: String, at path: String) throws(SpoolError) -> [UInt8] {
        do {
            let encoder = JSONEncoder()
            // Dates as Foundation keeps them (seconds since 2001), so they read back exactly.
            encoder.dateEncodingStrategy = .deferredToDate
            encoder.outputFormatting = [.sortedKeys]
            return Array(try encoder.encode(value))
        } catch {
            throw SpoolError(path: path, reason: "cannot encode \(what): \(error)")
        }
    }

    /// Writes `bytes` as `directory/name.json`, whole: to a hidden temporary file first, flushed, then
    /// renamed. Makes the directory when it is missing.
    static func writeWhole(_ bytes: [UInt8], named name: String, in directory: String) throws(SpoolError) {
        let temporary = directory + "/.\(name).\(UInt64.random(in: .min ... .max)).tmp"
        do {
            do {
                try write(bytes, to: temporary)
            } catch let error where error.code == ENOENT {
                try makeDirectory(directory)
                try write(bytes, to: temporary)
            }
        } catch {
            // Named after the directory, which is what an operator has to fix.
            throw SpoolError(path: error.path == temporary ? directory : error.path, reason: error.reason, code: error.code)
        }
        let path = file(name, in: directory)
        guard rename(temporary, path) == 0 else {
            let error = SpoolError.system(path)
            unlink(temporary)
            throw SpoolError(path: path, reason: "cannot rename \(temporary) to it: \(error.reason)", code: error.code)
        }
        flushDirectory(directory)
    }

    /// Every voicemail the directory keeps, oldest first. A missing directory keeps none; a file that
    /// cannot be read is reported and left alone.
    public func load() throws(SpoolError) -> Contents {
        var contents = Contents(voicemails: [], unreadable: [])
        guard let stream = opendir(directory) else {
            if errno == ENOENT { return contents }
            throw .system(directory)
        }
        defer { closedir(stream) }
        var names: [String] = []
        while true {
            errno = 0
            guard let entry = readdir(stream) else {
                // The end of the directory leaves errno alone; an error sets it.
                if errno != 0 { throw .system(directory) }
                break
            }
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            // Hidden names are temporary files of writes in progress, or cut short by a crash: those an
            // hour old are removed (another instance sharing the spool may be writing a new one now).
            if name.hasPrefix(".") {
                if name.hasSuffix(".tmp") { Self.removeIfStale(directory + "/" + name) }
                continue
            }
            guard name.hasSuffix(".json") else { continue }
            names.append(name)
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .deferredToDate
        var entries: [Entry] = []
        for name in names {
            let path = directory + "/" + name
            let bytes: [UInt8]
            do {
                bytes = try Self.read(path)
            } catch let error where error.code == ENOENT {
                // Another instance saved and removed it meanwhile.
                continue
            } catch {
                contents.unreadable.append(path)
                continue
            }
            guard let entry = try? decoder.decode(Entry.self, from: Data(bytes)), entry.version == 1 else {
                contents.unreadable.append(path)
                continue
            }
            entries.append(entry)
        }
        entries.sort { ($0.receivedAt, $0.recordingSid) < ($1.receivedAt, $1.recordingSid) }
        contents.voicemails = entries.map { ($0.callback, $0.receivedAt, $0.tenant.map(TenantID.init(rawValue:))) }
        contents.unreadable.sort()
        return contents
    }

    /// How old a temporary file must be before ``load()`` takes it for a crash's leftover.
    static let staleTemporaryAge: Int = 3600

    /// Removes the file at `path` when it was last written over ``staleTemporaryAge`` seconds ago.
    static func removeIfStale(_ path: String) {
        var status = stat()
        guard stat(path, &status) == 0 else { return }
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        #if canImport(Darwin)
        let written = Int(status.st_mtimespec.tv_sec)
        #else
        let written = Int(status.st_mtim.tv_sec)
        #endif
        if Int(now.tv_sec) - written > staleTemporaryAge { unlink(path) }
    }

    /// Where the voicemail of `recordingSid` is kept.
    func path(of recordingSid: String) -> String {
        Self.file(Self.fileName(recordingSid), in: directory)
    }

    /// The JSON file `name` in `directory`.
    private static func file(_ name: String, in directory: String) -> String {
        directory + "/" + name + ".json"
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
        guard mkdir(path, 0o700) == 0 || errno == EEXIST else { throw .system(path) }
        var status = stat()
        guard stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFDIR else {
            throw SpoolError(path: path, reason: "not a directory")
        }
    }

    /// Writes `bytes` to a new file at `path` and flushes it to disk.
    private static func write(_ bytes: [UInt8], to path: String) throws(SpoolError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .system(path) }
        var failure: SpoolError?
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = systemWrite(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = .system(path)
                    return
                }
                offset += written
            }
        }
        if failure == nil, fsync(descriptor) != 0 { failure = .system(path) }
        close(descriptor)
        if let failure {
            unlink(path)
            throw failure
        }
    }

    static func read(_ path: String) throws(SpoolError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .system(path) }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress!, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .system(path)
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

}

/// `write(2)`, named apart from the methods of the same name.
private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}

/// `read(2)`, named apart from the methods of the same name.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}
