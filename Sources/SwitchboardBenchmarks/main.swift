import SwitchboardTwiML

// Release-mode benchmarks. Usage:
//   SwitchboardBenchmarks [twiml|signature|all] micro-benchmarks, ns per operation
//   SwitchboardBenchmarks route [ITERATIONS]     the voice route in process against the bare route's responder
//   SwitchboardBenchmarks bare-server PORT     the bare Hummingbird baseline for scripts/bench-voice.sh
//   SwitchboardBenchmarks claims (sqlite PATH | postgrest URL) [CALLS] [CLAIMERS]
//                                              claim latency with concurrent claimers (scripts/bench-store.sh)
// Figures and the matching baseline commands are in docs/PERFORMANCE.md.

let arguments = Array(CommandLine.arguments.dropFirst())
let which = arguments.first ?? "all"
switch which {
case "bare-server":
    let port = arguments.count > 1 ? Int(arguments[1]) ?? 18081 : 18081
    // Ten clients with the same attributes Switchboard writes: the same response size.
    let response = try TwiMLBenchmark.ringAllWithCallbacks().renderBytes()
    try await BareServer.run(port: port, response: response)
case "route":
    let iterations = arguments.count > 1 ? Int(arguments[1]) ?? 20_000 : 20_000
    for line in try await RouteBenchmark.run(iterations: iterations) { print(line) }
case "claims":
    for line in try await ClaimBenchmark.run(Array(arguments.dropFirst())) { print(line) }
case "twiml":
    for line in try TwiMLBenchmark.run() { print(line) }
case "signature":
    for line in SignatureBenchmark.run() { print(line) }
case "all":
    for line in try TwiMLBenchmark.run() { print(line) }
    for line in SignatureBenchmark.run() { print(line) }
default:
    print("usage: SwitchboardBenchmarks [twiml|signature|all|route [ITERATIONS]|bare-server PORT|claims …]")
}
