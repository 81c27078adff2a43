#!/usr/bin/env bash
# The main job: builds, then simulates the default model on the images shipped
# in weights/samples/. Extra arguments go to lstmsim (e.g. --json out.json).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/build.sh"
exec "$root/build/sc_model/lstmsim" classify \
  --model "$root/weights/fmnist-lstm" \
  --images "$root/weights/samples/fmnist-test-16-images-idx3-ubyte.gz" \
  --labels "$root/weights/samples/fmnist-test-16-labels-idx1-ubyte.gz" "$@"
