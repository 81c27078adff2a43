#!/usr/bin/env bash
# I = H = 1024 end to end: a random 1024x1024 model (gen-model), random 8x1024
# images (gen-images), then the fast model, the cycle-accurate SystemC model
# and the Verilated RTL (rtlsim_large1024, via run --level rtl) on the same
# images: classes, logits and per-image cycles must be identical, with an
# always-ready and with a slow result consumer.
#   large_test.sh LSTMSIM CONFIG COUNT
set -euo pipefail
sim=$1 cfg=$2 count=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$sim" gen-model --I 1024 --H 1024 --T 8 --c 8 --k 2 --classes 10 --seed 7 --out "$tmp/m"
"$sim" gen-images --rows 8 --cols 1024 --count "$count" --seed 3 --out "$tmp/img.idx"
for hold in 0 40000; do
  for level in fast ca rtl; do
    extra=()
    [ "$level" = ca ] && extra=(--watchdog 1000000)  # the slow consumer idles the pipeline for long
    "$sim" run ${extra[@]+"${extra[@]}"} --level "$level" --model "$tmp/m" --arch "$cfg" --images "$tmp/img.idx" --count "$count" \
      --sink-hold "$hold" --json "$tmp/$level.json" -q | grep -E "reference|cycles per inference"
  done
  python3 - "$tmp" "$count" "$hold" <<'PY'
import json, sys
tmp, count, hold = sys.argv[1], int(sys.argv[2]), sys.argv[3]
runs = {l: json.load(open(f"{tmp}/{l}.json"))["images"] for l in ("fast", "ca", "rtl")}
key = lambda it: (it["class"], it["logits"], it["cycles"])
assert all(len(r) == count for r in runs.values()), {l: len(r) for l, r in runs.items()}
for n in range(count):
    f, c, r = (key(runs[l][n]) for l in ("fast", "ca", "rtl"))
    assert f == c == r, f"image {n} (sink hold {hold}): fast {f[0]} {f[2]}, ca {c[0]} {c[2]}, rtl {r[0]} {r[2]}"
print(f"sink hold {hold}: fast = ca = rtl on {count} images, cycles {[it['cycles'] for it in runs['fast']]}")
PY
done
