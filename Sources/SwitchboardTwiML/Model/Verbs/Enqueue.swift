/// `<Enqueue>`: puts the caller in a named queue.
public struct Enqueue: Equatable, Sendable {
    // Spelled `Optional<T>`, not `T?`: see the note on ``ElementModel``.
    /// The queue name (at most 64 characters).
    public var name: Optional<String>
    /// A TaskRouter task, instead of a plain queue.
    public var task: Optional<QueueTask>
    /// Requested when the caller leaves the queue.
    public var action: Optional<URLReference>
    /// How to request `action`.
    public var method: Optional<HTTPMethod>
    /// Hold music or TwiML while waiting; empty means silence.
    public var waitUrl: Optional<URLReference>
    /// How to request `waitUrl`.
    public var waitUrlMethod: Optional<HTTPMethod>
    /// A TaskRouter workflow SID.
    public var workflowSid: Optional<String>
    /// The queue's maximum size.
    public var maxQueueSize: Optional<Int>
    /// Attributes the model does not know.
    public var extraAttributes: ExtraAttributes

    /// Creates an `<Enqueue>`.
    @inlinable
    public init(
        _ name: String? = nil,
        task: QueueTask? = nil,
        action: URLReference? = nil,
        method: HTTPMethod? = nil,
        waitUrl: URLReference? = nil,
        waitUrlMethod: HTTPMethod? = nil,
        workflowSid: String? = nil,
        maxQueueSize: Int? = nil,
        extraAttributes: ExtraAttributes = [:]
    ) {
        self.name = name
        self.task = task
        self.action = action
        self.method = method
        self.waitUrl = waitUrl
        self.waitUrlMethod = waitUrlMethod
        self.workflowSid = workflowSid
        self.maxQueueSize = maxQueueSize
        self.extraAttributes = extraAttributes
    }
}

extension Enqueue: ElementModel {
    static let tag = "Enqueue"
    static let textRule = TextRule.optional("the queue name", maxLength: 64)
    static let childTags = ["Task"]
    static let attributeSpecs: [AttributeSpec<Enqueue>] = [
        .init("action", \.action),
        .init("maxQueueSize", \.maxQueueSize, range: 1...5000),
        .init("method", \.method),
        .init("waitUrl", \.waitUrl),
        .init("waitUrlMethod", \.waitUrlMethod),
        .init("workflowSid", \.workflowSid),
    ]
    init() { self.init(nil) }
    var textContent: String? {
        get { name }
        set { name = newValue }
    }

    mutating func appendChild(_ element: Element, decoder: inout ElementDecoder) {
        task = decoder.decode(QueueTask.self, from: element)
    }

    func childElements() -> [Element] { task.map { [$0.element()] } ?? [] }

    func render(into writer: inout TwiMLWriter) throws {
        writer.start("Enqueue", extras: extraAttributes)
        try writer.attribute("action", action)
        try writer.attribute("maxQueueSize", maxQueueSize)
        try writer.attribute("method", method)
        try writer.attribute("waitUrl", waitUrl)
        try writer.attribute("waitUrlMethod", waitUrlMethod)
        try writer.attribute("workflowSid", workflowSid)
        let hasText = !(name ?? "").isEmpty
        try writer.endStart(empty: !hasText && task == nil)
        guard hasText || task != nil else { return }
        if let name, hasText { try writer.text(name) }
        try task?.render(into: &writer)
        writer.end("Enqueue")
    }
}

/// `<Task>`: TaskRouter task attributes (JSON text) for `<Enqueue>`.
public struct QueueTask: Equatable, Sendable {
    // Spelled `Optional<T>`, not `T?`: see the note on ``ElementModel``.
    /// The task's attributes as JSON text.
    public var json: Optional<String>
    /// The task's priority.
    public var priority: Optional<Int>
    /// Seconds before the task times out.
    public var timeout: Optional<Int>
    /// Attributes the model does not know.
    public var extraAttributes: ExtraAttributes

    /// Creates a `<Task>`.
    @inlinable
    public init(_ json: String? = nil, priority: Int? = nil, timeout: Int? = nil, extraAttributes: ExtraAttributes = [:]) {
        self.json = json
        self.priority = priority
        self.timeout = timeout
        self.extraAttributes = extraAttributes
    }
}

extension QueueTask: ElementModel {
    static let tag = "Task"
    static let textRule = TextRule.required("the task's JSON attributes")
    static let attributeSpecs: [AttributeSpec<QueueTask>] = [
        .init("priority", \.priority, range: 0...Int(Int32.max)),
        .init("timeout", \.timeout, range: 1...86400),
    ]
    init() { self.init(nil) }
    var textContent: String? {
        get { json }
        set { json = newValue }
    }

    func render(into writer: inout TwiMLWriter) throws {
        try writer.leaf("Task", extras: extraAttributes, text: json) { writer in
            try writer.attribute("priority", priority)
            try writer.attribute("timeout", timeout)
        }
    }
}
