#!/usr/bin/env bash
# The main job: builds, then simulates the default model on the default
# architecture, cycle by cycle, on the 16 test images shipped in
# weights/samples/. Extra arguments go to `lstmsim run` (e.g. --vcd out.vcd,
# --json out.json).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# Only what this job runs (the test benches are scripts/test.sh's).
TARGETS=lstmsim "$root/scripts/build.sh"
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
exec "$root/build/sc_model/lstmsim" run \
  --model "$root/weights/fmnist-lstm" \
  --arch "$root/sc_model/configs/default.json" \
  --images "$root/weights/samples/fmnist-test-16-images-idx3-ubyte.gz" \
  --labels "$root/weights/samples/fmnist-test-16-labels-idx1-ubyte.gz" "$@"
