#!/usr/bin/env python3
"""Writes COUNT signed Twilio voice callbacks, each with its own CallSid, one per line as
"SIGNATURE BODY", for scripts/unique-calls.lua. The body is voice_post.lua's with only the CallSid
changed; the signature is Twilio's (HMAC-SHA1 over the URL and the sorted parameters, Base64).
Usage: unique-calls.py LUA_FILE TOKEN URL COUNT OUT"""
import base64, hashlib, hmac, re, sys
from urllib.parse import parse_qsl

lua, token, url, count, out = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
text = open(lua).read()
body = re.search(r'^wrk.body = "(.*)"$', text, re.M).group(1)
signature = re.search(r'^wrk.headers\["X-Twilio-Signature"\] = "(.*)"$', text, re.M).group(1)

def sign(body):
    pairs = sorted(parse_qsl(body, keep_blank_values=True))
    data = url + "".join(k + v for k, v in pairs)
    return base64.b64encode(hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()).decode()

assert sign(body) == signature, "the signer does not reproduce voice_post.lua's signature"
with open(out, "w") as f:
    for i in range(count):
        unique = re.sub(r"CallSid=CA[0-9a-f]{32}", "CallSid=CA%032x" % (i + 1), body)
        f.write(sign(unique) + " " + unique + "\n")
