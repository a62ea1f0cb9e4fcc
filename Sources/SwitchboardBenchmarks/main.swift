import SwitchboardTwiML

// Release-mode micro-benchmarks. Usage: swift run -c release SwitchboardBenchmarks [twiml|all]
// Figures and the matching twilio-python baseline commands are in docs/PERFORMANCE.md.

let which = CommandLine.arguments.dropFirst().first ?? "all"
if which == "twiml" || which == "all" {
    for line in try TwiMLBenchmark.run() { print(line) }
}
