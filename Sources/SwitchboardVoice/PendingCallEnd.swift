import SwitchboardCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The ends of calls, and of agents' parts in them, which the store could not record when Twilio
/// reported them, recorded again in the background: without them a call that went to voicemail would
/// stay listed as ringing on every dashboard, and an agent would stay "on a call" that is over, never
/// rung again.
public typealias CallEndRetry = StoreRetry<PendingCallEnd>

/// The end of a call, or of one agent's part in it, waiting in a ``CallEndRetry`` (see
/// ``VoiceService/recordCallEnd(_:in:late:)`` for what recording it does).
///
/// Every one carries the time Twilio reported it, and recorded late it ends no agent's part who got on
/// the call after that time (``CallStore/endCall(_:at:wrapUpSeconds:joinedBy:)``). That is what makes
/// an answered end safe to record late: a park moves the caller out of the `<Dial>`, which Twilio
/// reports to the `<Dial action>` as an answered end, and by the time the store is back the parker may
/// have retrieved the call, answered its ring-back, or another agent may have retrieved it; each of
/// them got on the call after that end, and stays on it.
public struct PendingCallEnd: StoreRetryItem {
    /// What ended.
    public enum Part: Equatable, Sendable, Codable {
        /// Nobody answered the dial (the caller went to voicemail): the call is finished, and an agent
        /// who claimed it without reaching the caller is taken off it, with no wrap-up.
        case unanswered
        /// The conversation is over (the end of a parked call's slot once an agent retrieved it, and
        /// the answered dial's end in journals of earlier builds): every agent on the call ends their
        /// part, with `wrapUpSeconds` of wrap-up, and a call no claim recorded is finished.
        case answered(wrapUpSeconds: Int)
        /// The answered `<Dial>`'s end (`/twilio/dial-status`): as ``answered(wrapUpSeconds:)``, but an
        /// agent whose time on the call began with a retrieval of one of its parks stays on it
        /// (``CallStore/endAnsweredDial(_:at:wrapUpSeconds:joinedBy:)``): a park moves the caller out of
        /// the dial, which Twilio reports as this end. Journaled as `answered` with `"dial": true`, so
        /// that an earlier build (a rollback) reads it, as the plain end it recorded itself.
        case answeredDial(wrapUpSeconds: Int)
        /// One agent's leg ended (client-status `completed`): that agent's part ends, with
        /// `wrapUpSeconds` of wrap-up, in the tenant the callback's URL named (else the call's record
        /// decides).
        case agentLeg(identity: String, tenant: TenantID?, wrapUpSeconds: Int)
    }

    /// The caller's call.
    public var callSid: String
    /// What ended.
    public var part: Part
    /// When Twilio reported it.
    public var occurredAt: Date
    /// What the callback told of the call (its tenant, caller and number called), for a call the store
    /// has no record of: its ringing record never reached the store. The end of such a call (not of an
    /// agent's leg) records it from this, finished at the end, so that a ringing record or a claim that
    /// reaches the store later (retried from a failing store, by this instance or another) finds the
    /// call over, and its voicemail finds the caller. Nil in the journals of earlier versions.
    public var unknownCall: UnknownCall?

    /// What a callback told of a call the store may not know. Its description (in the retry's logs)
    /// names the tenant alone: no log line of the service carries a caller's number.
    public struct UnknownCall: Equatable, Sendable, Codable, CustomStringConvertible {
        /// The tenant the callback's URL named, else the default one (every other tenant's callbacks
        /// name theirs).
        public var tenant: TenantID
        /// The caller (`From`); empty when the callback did not say.
        public var caller: String
        /// The number called (`To`); empty when the callback did not say.
        public var called: String

        /// Creates one.
        public init(tenant: TenantID, caller: String, called: String) {
            self.tenant = tenant
            self.caller = caller
            self.called = called
        }

        /// The tenant alone.
        public var description: String { "UnknownCall(tenant: \(tenant))" }
    }

    /// Creates a pending end.
    public init(callSid: String, part: Part, occurredAt: Date, unknownCall: UnknownCall? = nil) {
        self.callSid = callSid
        self.part = part
        self.occurredAt = occurredAt
        self.unknownCall = unknownCall
    }

    /// The record of the call ``unknownCall`` describes: one that rang nobody the store knows of, which
    /// ``CallStore/recordRinging(_:)`` records finished at its start, here the end.
    public var unknownCallRecord: RingingCall? {
        unknownCall.map {
            RingingCall.rangNobody(callSid: callSid, tenant: $0.tenant, caller: $0.caller, called: $0.called, at: occurredAt)
        }
    }

    /// Every one may wait.
    public var mayWait: Bool { true }

    /// "call ends".
    public static var noun: String { "call ends" }
}

extension PendingCallEnd.Part {
    /// The journal's keys: one per case, as Swift's own coding of this enum wrote them before
    /// ``answeredDial(wrapUpSeconds:)``, which is `answered` with `dial`.
    private enum Case: String, CodingKey {
        case unanswered, answered, agentLeg
    }

    /// The fields of a case.
    private enum Field: String, CodingKey {
        case wrapUpSeconds, dial, identity, tenant
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Case.self)
        guard container.allKeys.count == 1, let key = container.allKeys.first else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: container.codingPath, debugDescription: "A call end's part needs exactly one known case")
            )
        }
        let fields = try container.nestedContainer(keyedBy: Field.self, forKey: key)
        switch key {
        case .unanswered:
            self = .unanswered
        case .answered:
            let wrapUp = try fields.decode(Int.self, forKey: .wrapUpSeconds)
            let dial = try fields.decodeIfPresent(Bool.self, forKey: .dial) ?? false
            self = dial ? .answeredDial(wrapUpSeconds: wrapUp) : .answered(wrapUpSeconds: wrapUp)
        case .agentLeg:
            self = .agentLeg(
                identity: try fields.decode(String.self, forKey: .identity),
                tenant: try fields.decodeIfPresent(TenantID.self, forKey: .tenant),
                wrapUpSeconds: try fields.decode(Int.self, forKey: .wrapUpSeconds)
            )
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Case.self)
        switch self {
        case .unanswered:
            _ = container.nestedContainer(keyedBy: Field.self, forKey: .unanswered)
        case .answered(let wrapUp):
            var fields = container.nestedContainer(keyedBy: Field.self, forKey: .answered)
            try fields.encode(wrapUp, forKey: .wrapUpSeconds)
        case .answeredDial(let wrapUp):
            var fields = container.nestedContainer(keyedBy: Field.self, forKey: .answered)
            try fields.encode(wrapUp, forKey: .wrapUpSeconds)
            try fields.encode(true, forKey: .dial)
        case .agentLeg(let identity, let tenant, let wrapUp):
            var fields = container.nestedContainer(keyedBy: Field.self, forKey: .agentLeg)
            try fields.encode(identity, forKey: .identity)
            try fields.encodeIfPresent(tenant, forKey: .tenant)
            try fields.encode(wrapUp, forKey: .wrapUpSeconds)
        }
    }
}
