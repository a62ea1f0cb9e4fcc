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
/// written whole (to a hidden temporary file, flushed, renamed) and removed once nothing waits. A queue
/// that starts adopts every `NAME-*.json` file it finds: a previous run's, or that of another instance
/// sharing the directory, which is harmless, since recording an item twice changes nothing (see
/// ``StoreRetryItem``).
public struct StoreRetryJournal: Sendable {
    /// The directory.
    public let directory: String
    /// The queue's name, the files' prefix (`call-ends`).
    public let name: String
    /// This process's part of the file name.
    let instance: String

    /// A journal in `directory` for the queue `name` (letters, digits and `-`).
    public init(directory: String, name: String) {
        self.directory = directory
        self.name = name
        self.instance = UUID().uuidString.lowercased()
    }

    /// This process's file.
    var file: String { directory + "/" + name + "-" + instance + ".json" }

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

    /// What ``adopt(_:)`` found: the items of every file, oldest file first, the files read (to remove
    /// once the items are in this process's file), and the files that could not be read (left alone).
    struct Adopted<Item> {
        var items: [Item] = []
        var files: [String] = []
        var unreadable: [String] = []
    }

    /// Reads every `NAME-*.json` file but this process's own. A missing directory holds none.
    func adopt<Item: Decodable>(_ type: Item.Type) -> Adopted<Item> {
        var adopted = Adopted<Item>()
        guard let stream = opendir(directory) else { return adopted }
        var names: [String] = []
        while let entry = readdir(stream) {
            let entryName = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if entryName.hasPrefix(name + "-"), entryName.hasSuffix(".json"), directory + "/" + entryName != file { names.append(entryName) }
        }
        closedir(stream)
        var dated: [(modified: Int, path: String, items: [Item])] = []
        for entryName in names {
            let path = directory + "/" + entryName
            do {
                let bytes = try VoicemailSpool.read(path)
                let items = try JSONDecoder().decode([Item].self, from: Data(bytes))
                var status = stat()
                let modified = stat(path, &status) == 0 ? Int(status.st_mtim.tv_sec) : 0
                dated.append((modified, path, items))
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

    /// Removes adopted files, once their items are in this process's file.
    func remove(_ files: [String]) {
        for file in files { unlink(file) }
    }
}
