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

/// Where a ``StoreRetry`` keeps the items it waits to record, on local disk, so that a restart (or a
/// crash once the items are written) does not lose them: the next run's queue over the same directory
/// takes them up.
///
/// Each process writes one file per queue, `NAME-INSTANCE.json`, a JSON array of the items waiting,
/// written whole (to a hidden temporary file, flushed, renamed) and removed once nothing waits, and
/// holds a lock on `NAME-INSTANCE.lock` for as long as it runs. A queue that starts adopts the files
/// of every instance whose lock nobody holds (a previous run's, or that of an instance sharing the
/// directory that has stopped or crashed), never a running instance's: that one records its own.
public struct StoreRetryJournal: Sendable {
    /// The directory.
    public let directory: String
    /// The queue's name, the files' prefix (`call-ends`).
    public let name: String
    /// This process's part of the file names.
    let instance: String

    /// A journal in `directory` for the queue `name` (letters, digits and `-`).
    public init(directory: String, name: String) {
        self.directory = directory
        self.name = name
        self.instance = UUID().uuidString.lowercased()
    }

    /// This process's file.
    var file: String { directory + "/" + name + "-" + instance + ".json" }

    /// The lock file of the instance whose journal is `journalFile`.
    static func lockFile(of journalFile: String) -> String {
        String(journalFile.dropLast(".json".count)) + ".lock"
    }

    /// Takes this instance's lock, so that no other instance adopts its file while it runs; the
    /// descriptor holds it until it is closed (at the queue's stop) or the process ends. Nil when it
    /// cannot be taken (the directory cannot be made or written): the journal is then written all the
    /// same, and an instance starting meanwhile may adopt it early, recording its items a second time,
    /// which changes nothing.
    func lock() -> Int32? {
        let path = Self.lockFile(of: file)
        var descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        if descriptor < 0, errno == ENOENT {
            _ = mkdir(directory, 0o700)
            descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        }
        guard descriptor >= 0 else { return nil }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            return nil
        }
        return descriptor
    }

    /// Writes `items` as this process's file, or removes the file when there are none.
    func save<Item: Encodable>(_ items: [Item]) throws(SpoolError) {
        guard !items.isEmpty else {
            guard unlink(file) == 0 || errno == ENOENT else { throw .system(file) }
            return
        }
        let bytes: [UInt8]
        do {
            bytes = Array(try JSONEncoder().encode(items))
        } catch {
            throw SpoolError(path: file, reason: "cannot encode the items: \(error)")
        }
        try VoicemailSpool.writeWhole(bytes, named: name + "-" + instance, in: directory)
    }

    /// What ``adopt(_:)`` found: the items of every file adopted, oldest file first, the files read (to
    /// remove, with their locks, once the items are in this process's file), and the files that could
    /// not be read (left alone).
    struct Adopted<Item> {
        var items: [Item] = []
        var files: [String] = []
        var unreadable: [String] = []
    }

    /// Reads every `NAME-*.json` file but this process's own whose instance holds no lock (it has
    /// stopped), and removes temporary files an hour old (writes cut short by a crash). A missing
    /// directory holds none.
    func adopt<Item: Decodable>(_ type: Item.Type) -> Adopted<Item> {
        var adopted = Adopted<Item>()
        guard let stream = opendir(directory) else { return adopted }
        var names: [String] = []
        while let entry = readdir(stream) {
            let entryName = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if entryName.hasPrefix(".\(name)-"), entryName.hasSuffix(".tmp") {
                VoicemailSpool.removeIfStale(directory + "/" + entryName)
            } else if entryName.hasPrefix(name + "-"), entryName.hasSuffix(".lock") {
                // The lock of an instance that stopped with nothing waiting, or crashed before writing.
                let lock = directory + "/" + entryName
                let journal = String(lock.dropLast(".lock".count)) + ".json"
                if lock != Self.lockFile(of: file), !Self.isHeld(lock), access(journal, F_OK) != 0 { unlink(lock) }
            } else if entryName.hasPrefix(name + "-"), entryName.hasSuffix(".json"), directory + "/" + entryName != file {
                names.append(entryName)
            }
        }
        closedir(stream)
        var dated: [(modified: Int, path: String, items: [Item])] = []
        for entryName in names {
            let path = directory + "/" + entryName
            guard !Self.isHeld(Self.lockFile(of: path)) else { continue }
            do {
                let bytes = try VoicemailSpool.read(path)
                let items = try JSONDecoder().decode([Item].self, from: Data(bytes))
                dated.append((Self.modified(path), path, items))
            } catch let error as SpoolError where error.code == ENOENT {
                continue
            } catch {
                adopted.unreadable.append(path)
            }
        }
        for file in dated.sorted(by: { ($0.modified, $0.path) < ($1.modified, $1.path) }) {
            adopted.items += file.items
            adopted.files.append(file.path)
        }
        return adopted
    }

    /// Removes adopted files and their lock files, once their items are in this process's file.
    func remove(_ files: [String]) {
        for file in files {
            unlink(file)
            unlink(Self.lockFile(of: file))
        }
    }

    /// Whether a running instance holds the lock at `path` (a missing lock file is held by nobody).
    private static func isHeld(_ path: String) -> Bool {
        let descriptor = open(path, O_RDWR | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else { return errno == EWOULDBLOCK }
        flock(descriptor, LOCK_UN)
        return false
    }

    /// When the file at `path` was last written, in seconds since 1970 (0 when unknown).
    private static func modified(_ path: String) -> Int {
        var status = stat()
        guard stat(path, &status) == 0 else { return 0 }
        #if canImport(Darwin)
        return Int(status.st_mtimespec.tv_sec)
        #else
        return Int(status.st_mtim.tv_sec)
        #endif
    }
}
