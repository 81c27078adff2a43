#!/usr/bin/env bash
# Synthesizes the RTL top for one architecture config and model with
#   yosys synth_xilinx -family xc7
# and prints the cell counts (DSP48E1, RAMB18E1, RAMB36E1, LUTs, FFs).
#   scripts/synth.sh CONFIG.json MODEL_DIR OUT_DIR
# Needs build/sc_model/lstmsim (for the ROM images).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cfg=$1; model=$2; out=$3
lstmsim=${LSTMSIM:-$root/build/sc_model/lstmsim}
mkdir -p "$out"
"$lstmsim" rtl-gen --model "$model" --arch "$cfg" --out "$out/rom" > /dev/null
{
  echo "read_verilog -defer -I$root/rtl $(ls "$root"/rtl/*.v | tr '\n' ' ')"
  # -G flags from the config become chparam settings.
  sed -n 's/^-G\([A-Z_]*\)=\(.*\)$/chparam -set \1 \2 lstm_accel/p' "$out/rom/verilator_params.f"
  echo "chparam -set ROM_DIR \"$out/rom\" lstm_accel"
  echo "synth_xilinx -family xc7 -top lstm_accel"
  echo "tee -o $out/stat.txt stat"
} > "$out/synth.ys"
yosys -q -l "$out/yosys.log" -s "$out/synth.ys" > /dev/null
grep -E "Number of cells|DSP48E1|RAMB18E1|RAMB36E1|LUT[1-6]|FD[RSCP]E|CARRY4|MUXF" "$out/stat.txt"
