#!/usr/bin/env bash
# Installs the Debian packages the project needs, if any is missing.
# Idempotent: does nothing (and needs no network) when all are present.
#   scripts/deps.sh            build, run and test
#   scripts/deps.sh --train    also the training flow (PyTorch)
set -euo pipefail
pkgs=(g++ cmake make ninja-build pkg-config ccache zlib1g-dev libssl-dev libcli11-dev
      nlohmann-json3-dev catch2 libsystemc-dev verilator yosys
      clang libclang-rt-14-dev
      dataset-fashion-mnist python3 python3-matplotlib
      slurm-wlm munge parallel)
if [ "${1:-}" = "--train" ]; then
  pkgs+=(python3 python3-torch python3-numpy python3-matplotlib)
fi
missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
