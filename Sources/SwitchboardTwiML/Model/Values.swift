/// HTTP method Twilio uses to request a URL attribute.
public enum HTTPMethod: String, EnumeratedAttributeValue {
    case get = "GET"
    case post = "POST"
}

/// What `<Reject>` plays to the caller.
public enum RejectReason: String, EnumeratedAttributeValue {
    case rejected
    case busy
}

/// Whether silence is trimmed from a recording (`<Record>`, `<Dial>`, `<Conference>` `trim`).
public enum RecordingTrim: String, EnumeratedAttributeValue {
    case trimSilence = "trim-silence"
    case doNotTrim = "do-not-trim"
}

/// `<Dial record>` modes; `true` and `false` are Twilio's aliases for answer and no recording.
public enum DialRecording: String, EnumeratedAttributeValue {
    case doNotRecord = "do-not-record"
    case recordFromAnswer = "record-from-answer"
    case recordFromRinging = "record-from-ringing"
    case recordFromAnswerDual = "record-from-answer-dual"
    case recordFromRingingDual = "record-from-ringing-dual"
    case enabled = "true"
    case disabled = "false"
}

/// `<Conference record>` modes.
public enum ConferenceRecording: String, EnumeratedAttributeValue {
    case doNotRecord = "do-not-record"
    case recordFromStart = "record-from-start"
}

/// Which legs a `<Dial>` recording captures.
public enum RecordingTrack: String, EnumeratedAttributeValue {
    case inbound
    case outbound
    case both
}

/// What `<Gather>` listens for.
public enum GatherInput: String, EnumeratedAttributeValue {
    case dtmf
    case speech
    case dtmfSpeech = "dtmf speech"
    case speechDtmf = "speech dtmf"
}

/// Call-progress events a `<Client>`, `<Number>` or `<Sip>` status callback reports.
public enum CallProgressEvent: String, EnumeratedAttributeValue {
    case initiated
    case ringing
    case answered
    case completed
}

/// Recording events a recording status callback reports.
public enum RecordingEvent: String, EnumeratedAttributeValue {
    case inProgress = "in-progress"
    case completed
    case absent
}

/// Conference events a `<Conference>` status callback reports.
public enum ConferenceEvent: String, EnumeratedAttributeValue {
    case start
    case end
    case join
    case leave
    case mute
    case hold
    case modify
    case speaker
    case announcement
}

/// When a `<Conference>` beeps.
public enum ConferenceBeep: String, EnumeratedAttributeValue {
    case yes = "true"
    case no = "false"
    case onEnter
    case onExit
}

/// A `<Conference>` jitter buffer size.
public enum JitterBufferSize: String, EnumeratedAttributeValue {
    case small
    case medium
    case large
    case off
}

/// A Twilio media region for a `<Conference>`.
public enum ConferenceRegion: String, EnumeratedAttributeValue {
    case us1
    case ie1
    case de1
    case sg1
    case br1
    case au1
    case jp1
}

/// Answering-machine detection modes of `<Number>` and `<Sip>`.
public enum MachineDetection: String, EnumeratedAttributeValue {
    case enable = "Enable"
    case detectMessageEnd = "DetectMessageEnd"
}

/// The country whose ringback tone `<Dial ringTone>` plays.
public enum RingTone: String, EnumeratedAttributeValue {
    case at, au, bg, br, be, ch, cl, cn, cz, de, dk, ee, es, fi, fr, gr, hu, il
    case `in`, it, lt, jp, mx, my, nl, no, nz, ph, pl, pt, ru, se, sg, th, uk, us
    case usOld = "us-old"
    case tw, ve, za
}

/// `<Gather speechTimeout>`: seconds of silence, or `auto`.
public enum SpeechTimeout: AttributeValue, Hashable {
    case auto
    case seconds(Int)

    public init?(attributeValue: String) {
        if attributeValue == "auto" {
            self = .auto
        } else if let seconds = Int(attributeValue: attributeValue) {
            self = .seconds(seconds)
        } else {
            return nil
        }
    }

    public var attributeValue: String {
        switch self {
        case .auto: return "auto"
        case .seconds(let seconds): return String(seconds)
        }
    }

    public static var expectation: String { "an integer or auto" }
}
