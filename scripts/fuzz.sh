#!/usr/bin/env bash
# Fuzzes the form parser and the signature validator with libFuzzer for N seconds (default 20).
#
#   scripts/fuzz.sh [seconds] [extra libFuzzer flags...]
#
# Compiles Fuzz/FormFuzzer/main.swift together with Sources/SwitchboardWebhooks (one module, with
# -sanitize=fuzzer,address) and links swift-crypto's objects from the debug build (running
# `swift build --target SwitchboardWebhooks` first if they are missing). The corpus lives in
# .build/fuzz/corpus and grows across runs; it is seeded from the golden fixtures. Exits non-zero when
# libFuzzer finds a crash, leak or timeout (the reproducer is left in .build/fuzz/).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-20}"
shift || true
work=.build/fuzz
mkdir -p "$work/corpus"

bin="$(swift build --show-bin-path)"
if ! ls "$bin"/Crypto.build/*.o >/dev/null 2>&1 || [ ! -f "$bin/Modules/Crypto.swiftmodule" ]; then
    echo "fuzz: building swift-crypto (swift build --target SwitchboardWebhooks)"
    swift build --target SwitchboardWebhooks
fi

# swift-crypto's object files: the Swift module and the C libraries under it.
crypto_objects=()
for target in Crypto CryptoBoringWrapper CCryptoBoringSSL CCryptoBoringSSLShims CXKCP CXKCPShims; do
    if [ -d "$bin/$target.build" ]; then
        while IFS= read -r -d '' object; do crypto_objects+=("$object"); done \
            < <(find "$bin/$target.build" -name '*.o' -print0)
    fi
done

sources=()
while IFS= read -r -d '' source; do sources+=("$source"); done < <(find Sources/SwitchboardWebhooks -name '*.swift' -print0 | sort -z)

fuzzer="$work/form-fuzzer"
if [ ! -x "$fuzzer" ] || [ -n "$(find Sources/SwitchboardWebhooks Fuzz/FormFuzzer -newer "$fuzzer" -print -quit)" ]; then
    echo "fuzz: compiling $fuzzer"
    swiftc -sanitize=fuzzer,address -parse-as-library -O -g -use-ld=lld \
        -module-name SwitchboardWebhooks -swift-version 6 \
        -enable-upcoming-feature ExistentialAny -enable-upcoming-feature MemberImportVisibility \
        -I "$bin/Modules" \
        "${sources[@]}" Fuzz/FormFuzzer/main.swift "${crypto_objects[@]}" \
        -lstdc++ -o "$fuzzer"
    rm -rf "$work/seeds"  # re-derive seeds with the new build
fi

# Seeds: every golden body and URL (as "URL\nbody"), when python3 is there to read the JSON.
seeds="$work/seeds"
if [ ! -d "$seeds" ] && command -v python3 >/dev/null; then
    mkdir -p "$seeds"
    python3 - "$seeds" <<'PY'
import json, pathlib, sys
out = pathlib.Path(sys.argv[1])
cases = json.loads(pathlib.Path("Fixtures/signatures/cases.json").read_text())
urls = json.loads(pathlib.Path("Fixtures/signatures/urls.json").read_text())
forms = json.loads(pathlib.Path("Fixtures/forms/parse_qsl.json").read_text())
seeds = [c["url"] + "\n" + c["body"] for c in cases] + [u["url"] + "\n" for u in urls] + ["\n" + f["body"] for f in forms]
for i, s in enumerate(seeds):
    (out / f"seed-{i:04d}").write_bytes(s.encode("utf-8", "surrogatepass"))
PY
fi
[ -d "$seeds" ] || { mkdir -p "$seeds"; printf 'https://h:8443/x?a=1\nCallSid=CA1&Digits=1&Digits=%%2B' > "$seeds/seed-0"; }

echo "fuzz: running $fuzzer for ${seconds}s"
# The Swift runtime's backtracer would take over the crash (and can hang); libFuzzer reports instead.
export SWIFT_BACKTRACE=enable=no
exec "$fuzzer" "$work/corpus" "$seeds" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
    -dict=Fuzz/FormFuzzer/form.dict -artifact_prefix="$work/" -print_final_stats=1 "$@"
