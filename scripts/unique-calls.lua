-- wrk script: signed Twilio voice callbacks, each with its own CallSid, read from the file that
-- scripts/unique-calls.py writes (path in the UNIQUE_CALLS environment variable). Every request
-- is a new call, so the store really records a ringing call each time.
local signatures, bodies = {}, {}
for line in io.lines(os.getenv("UNIQUE_CALLS")) do
    local signature, body = line:match("^(%S+) (.*)$")
    signatures[#signatures + 1] = signature
    bodies[#bodies + 1] = body
end
local next = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
request = function()
    next = next % #bodies + 1
    wrk.headers["X-Twilio-Signature"] = signatures[next]
    return wrk.format(nil, nil, nil, bodies[next])
end
