import SwitchboardDesk
import Testing

@Suite struct DeskErrorTests {
    @Test func theBodyHasTheCodeAndMessage() {
        let body = String(decoding: DeskError.callNotFound("CA1").body, as: UTF8.self)
        #expect(body == #"{"error":"call_not_found","message":"No call CA1."}"#)
    }

    @Test func theBodyCarriesHintAndDetails() {
        let body = String(decoding: DeskError.atCapacity(active: 5, capacity: 5).body, as: UTF8.self)
        #expect(
            body
                == #"{"active":5,"capacity":5,"error":"at_capacity","hint":"Release a chat first.","message":"You already have 5 active chats of your capacity of 5."}"#
        )
        let answered = String(decoding: DeskError.alreadyAnswered(by: "agent_b").body, as: UTF8.self)
        #expect(answered == #"{"answeredBy":"agent_b","error":"already_answered","message":"Agent agent_b already answered this call."}"#)
    }

    @Test func aBusyRetrieverIsToldWhichCallItIsOn() {
        let busy = DeskError.agentBusyForRetrieval(currentCallSid: "CA9")
        #expect(busy == DeskError.agentBusy(currentCallSid: "CA9"))
        let body = String(decoding: busy.body, as: UTF8.self)
        #expect(
            body
                == #"{"currentCallSid":"CA9","error":"agent_busy","hint":"End or park that call first.","message":"You are on call CA9, so you cannot retrieve a parked call."}"#
        )
    }

    @Test func theMissingAgentRecordNamesTheSyncRoute() {
        let body = String(decoding: DeskError.agentRecordMissing.body, as: UTF8.self)
        #expect(body.contains(#""error":"agent_record_missing""#))
        #expect(body.contains("POST /api/agents/sync"))
    }

    @Test func codesAreStableSnakeCase() {
        for code in DeskError.Code.allCases {
            #expect(code.rawValue.allSatisfy { $0 == "_" || ("a"..."z").contains($0) })
        }
        #expect(DeskError.Code.allCases.count == Set(DeskError.Code.allCases.map(\.rawValue)).count)
    }

    @Test func errorsCompareByCode() {
        #expect(DeskError.alreadyAnswered(by: "a") == DeskError.alreadyAnswered(by: "b"))
        #expect(DeskError.alreadyAnswered(by: "a") != DeskError.agentBusy(currentCallSid: "CA1"))
    }
}
