/// A call queue as Twilio's REST API lists it (`GET …/Queues.json`): the fields the park slots' prune
/// reads.
public struct TwilioQueue: Decodable, Equatable, Sendable {
    /// The queue's SID (`QU…`).
    public var sid: String
    /// The queue's name: what `<Enqueue>` and `<Dial><Queue>` name it by.
    public var friendlyName: String
    /// How many calls wait in it now.
    public var currentSize: Int

    /// Creates a queue.
    public init(sid: String, friendlyName: String, currentSize: Int) {
        self.sid = sid
        self.friendlyName = friendlyName
        self.currentSize = currentSize
    }

    private enum CodingKeys: String, CodingKey {
        case sid
        case friendlyName = "friendly_name"
        case currentSize = "current_size"
    }

    /// Decodes Twilio's JSON, where `current_size` may be null (none waiting).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        sid = try container.decode(String.self, forKey: .sid)
        friendlyName = try container.decodeIfPresent(String.self, forKey: .friendlyName) ?? ""
        currentSize = try container.decodeIfPresent(Int.self, forKey: .currentSize) ?? 0
    }
}

/// One page of Twilio's queue list: its queues, and the path of the next page (nil on the last).
struct TwilioQueuePage: Decodable {
    var queues: [TwilioQueue]
    var nextPageURI: String?

    private enum CodingKeys: String, CodingKey {
        case queues
        case nextPageURI = "next_page_uri"
    }
}
