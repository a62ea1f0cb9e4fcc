import Foundation
import Logging
import SwitchboardCore
import SwitchboardDesk
import SwitchboardVoice
import SwitchboardWebhooks

/// Sets away an agent who missed too many rings in a row (``RingRules/missedInARow(_:threshold:)``),
/// after each missed ring Twilio reports on the client-status route; never an agent on a call or one
/// who set another presence (``DeskStore/setAwayIfFree(identity:in:)``).
struct MissedRingsPolicy<Store: DeskStore>: Sendable {
    let store: Store
    let threshold: Int
    let budget: StoreBudget
    let logger: Logger

    /// Looks at the agent of a missed ring the agent let pass (``RingRules/isLetPass(status:)``); does
    /// nothing for other callbacks, such as the canceled legs of agents another agent beat to the answer.
    func apply(form: FormParameters, reply: VoiceReply) async {
        guard threshold > 0, reply.outcome == "event-missed", let callback = try? ClientStatusCallback(form),
            RingRules.isLetPass(status: callback.callStatus.rawValue)
        else { return }
        let identity = VoiceService<Store>.clientIdentity(callback.to)
        let store = self.store
        let threshold = self.threshold
        let callSid = callback.parentCallSid
        // The client-status route has just read the call's tenant; it is read here only if it could not be.
        let knownTenant = reply.tenant
        do {
            let setAway = try await budget.run { () async throws(StoreError) -> Bool in
                let tenant: TenantID
                if let knownTenant {
                    tenant = knownTenant
                } else {
                    tenant = try await store.ringingCall(callSid)?.tenant ?? .default
                }
                let outcomes = try await store.ringOutcomes(of: identity, in: tenant, limit: threshold)
                guard RingRules.missedInARow(outcomes, threshold: threshold) else { return false }
                // Away only if still available and on no call in the same step: an answer (or a presence
                // the agent set) landing after the read above wins.
                guard try await store.setAwayIfFree(identity: identity, in: tenant) != nil else { return false }
                // The event every dashboard sees, saying why; one per missed ring (leg) that set the agent away.
                try await store.recordRingEvent(
                    RingEvent(
                        callSid: callSid,
                        tenant: tenant,
                        agentIdentity: identity,
                        kind: .away,
                        occurredAt: Date(),
                        detail: "missed \(threshold) rings in a row",
                        occurrence: callback.callSid
                    )
                )
                return true
            }
            if setAway {
                logger.notice(
                    "agent set away",
                    metadata: ["agent": "\(identity)", "reason": "missed \(threshold) rings in a row", "callSid": "\(callSid)"]
                )
            }
        } catch {
            logger.warning("missed-rings rule not applied", metadata: ["agent": "\(identity)", "error": "\(error)"])
        }
    }
}
