import Logging
import SwitchboardCore
import SwitchboardRouting
import SwitchboardTwiML
import Synchronization

/// The rendered bytes of every document a voice route answers, made once where they never change and
/// kept per tenant and set of agents for the ring-all document.
///
/// Every answer but the ring-all one (and a non-default tenant's voicemail, whose callback names the
/// tenant) is fixed by the configuration, so it is rendered when the service starts. A ring-all document
/// depends only on the call's tenant and the identities rung, in order; the voice route rings the same
/// agents call after call until one of them becomes busy or free, so those bytes are kept for up to
/// ``ringCapacity`` sets of agents (all are dropped when it is full: a new set costs one rendering). A kept
/// document is the one ``CallResponses`` builds for those agents, byte for byte; identities are compared
/// by their UTF-8 bytes, never by Unicode equivalence, as everywhere else.
final class RenderedDocuments: Sendable {
    /// How many ring-all documents are kept at most.
    static let ringCapacity = 256

    let responses: CallResponses
    let voicemail: [UInt8]
    let voicemailRecorded: [UInt8]
    let hangup: [UInt8]
    let acknowledged: [UInt8]
    let screenWon: [UInt8]
    let screenAlreadyAnswered: [UInt8]
    let screenAgentBusy: [UInt8]
    let screenCallEnded: [UInt8]
    private let rings = Mutex<[RingKey: [UInt8]]>([:])
    private let logger: Logger

    init(responses: CallResponses, logger: Logger) {
        self.responses = responses
        self.logger = logger
        voicemail = Self.render(responses.voicemail(), logger: logger)
        voicemailRecorded = Self.render(responses.voicemailRecorded(), logger: logger)
        hangup = Self.render(responses.hangup(), logger: logger)
        acknowledged = Self.render(responses.acknowledged(), logger: logger)
        screenWon = Self.render(responses.screen(.won), logger: logger)
        screenAlreadyAnswered = Self.render(responses.screen(.alreadyAnswered(by: "")), logger: logger)
        screenAgentBusy = Self.render(responses.screen(.agentBusy(currentCallSid: "")), logger: logger)
        screenCallEnded = Self.render(responses.screen(.callEnded), logger: logger)
    }

    /// The voicemail prompt for a call of `tenant`: the default tenant's (and a call with no tenant)
    /// is rendered once; another tenant's names it in its recording callback, rendered each time (only
    /// calls that reach nobody need it).
    func voicemail(tenant: TenantID?) -> [UInt8] {
        guard let tenant, tenant != .default else { return voicemail }
        return Self.render(responses.voicemail(tenant: tenant), logger: logger, fallback: voicemail)
    }

    /// The claim's answer on the agent's leg (it names neither the winner nor the other call).
    func screen(_ outcome: ClaimOutcome) -> [UInt8] {
        switch outcome {
        case .won: screenWon
        case .alreadyAnswered: screenAlreadyAnswered
        case .agentBusy: screenAgentBusy
        case .callEnded: screenCallEnded
        }
    }

    /// The ring-all document for `decision` in a call of `tenant` (voicemail when it rings no one).
    func ring(_ decision: RingDecision, tenant: TenantID) -> [UInt8] {
        guard !decision.isEmpty else { return voicemail(tenant: tenant) }
        let key = RingKey(decision.agentsRung, tenant: tenant)
        if let bytes = rings.withLock({ $0[key] }) { return bytes }
        let bytes = Self.render(responses.ring(decision, tenant: tenant), logger: logger, fallback: self.voicemail(tenant: tenant))
        rings.withLock { rings in
            if rings.count >= Self.ringCapacity { rings.removeAll(keepingCapacity: true) }
            rings[key] = bytes
        }
        return bytes
    }

    /// How many ring-all documents are kept now, for tests.
    var keptRings: Int { rings.withLock { $0.count } }

    /// Renders `document`. The documents the service builds always render (their text is checked by
    /// tests), but a caller must never hear an application error: `fallback` (a plain voicemail, or an
    /// empty `<Response />` while the voicemail itself is being rendered) stands in; it is made only then.
    private static func render(_ document: VoiceResponse, logger: Logger, fallback: @autoclosure () -> [UInt8]? = nil) -> [UInt8] {
        do {
            return try document.renderBytes()
        } catch {
            logger.error("could not render an answer", metadata: ["error": "\(error)"])
            return fallback() ?? Array(#"<?xml version="1.0" encoding="UTF-8"?><Response />"#.utf8)
        }
    }

    /// The tenant (unless it is the default one) followed by 0xFE, then the identities rung, in order,
    /// each one's UTF-8 followed by 0xFF: bytes UTF-8 never contains, so different calls never make the
    /// same key.
    private struct RingKey: Hashable, Sendable {
        let bytes: [UInt8]

        init(_ agents: [Agent], tenant: TenantID) {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(agents.count * 16)
            // The default tenant's URLs name no tenant, so its key needs none; 0xFE never occurs in UTF-8.
            if tenant != .default {
                bytes.append(contentsOf: tenant.rawValue.utf8)
                bytes.append(0xFE)
            }
            for agent in agents {
                bytes.append(contentsOf: agent.identity.utf8)
                bytes.append(0xFF)
            }
            self.bytes = bytes
        }

        func hash(into hasher: inout Hasher) {
            bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
        }
    }
}
