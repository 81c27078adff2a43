#!/usr/bin/env bash
# Synthesizes the RTL top for one architecture config and model with
#   yosys synth_xilinx -family xc7
# and prints the cell counts (DSP48E1, RAMB18E1, RAMB36E1, LUTs, FFs).
#   scripts/synth.sh CONFIG.json MODEL_DIR OUT_DIR
# Needs build/sc_model/lstmsim (for the ROM images). RTL_DIR (default rtl/)
# is the RTL read: synth_sweep.py passes a snapshot taken when its run
# starts, so an edit of rtl/ during a long sweep does not leak into it.
# For synth_sweep.py remeasure (docs/sizing.md, "Re-measuring blocks"):
# SYNTH_ELABORATE=1 only elaborates the design and lists its modules in
# OUT/modules.txt; SYNTH_EXTRA=FILE adds that file's yosys commands (black
# boxes) between the elaboration and synth_xilinx.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cfg=$1; model=$2; out=$3
rtl=${RTL_DIR:-$root/rtl}
lstmsim=${LSTMSIM:-$root/build/sc_model/lstmsim}
mkdir -p "$out"
out=$(cd "$out" && pwd)
"$lstmsim" rtl-gen --model "$model" --arch "$cfg" --out "$out/rom" > /dev/null
# The top the config needs (lstm_accel; lstm_stack for a stacked config).
top=$("$lstmsim" arch --json "$cfg" | python3 -c 'import json, sys; print(json.load(sys.stdin)["top"])')
[ "$top" = cnn_lstm_accel ] && top=lstm_accel  # its -G parameters are lstm_accel's (CNN_IN > 0)
{
  echo "read_verilog -defer -I$rtl $(ls "$rtl"/*.v | tr '\n' ' ')"
  # -G flags from the config become chparam settings.
  sed -n "s/^-G\([A-Z_]*\)=\(.*\)$/chparam -set \1 \2 $top/p" "$out/rom/verilator_params.f"
  # ROM_DIR relative to OUT (yosys runs there): the parameter value, and so
  # the module names and the netlist, do not depend on where OUT is.
  echo "chparam -set ROM_DIR \"rom\" $top"
  if [ -n "${SYNTH_ELABORATE:-}" ]; then
    echo "hierarchy -top $top"
    echo "tee -q -o $out/modules.txt ls"
  else
    if [ -n "${SYNTH_EXTRA:-}" ]; then echo "hierarchy -top $top"; cat "$SYNTH_EXTRA"; fi
    echo "synth_xilinx -family xc7 -top $top"
    echo "tee -o $out/stat.txt stat"
  fi
} > "$out/synth.ys"
(cd "$out" && yosys -q -l yosys.log -s synth.ys > /dev/null)
[ -n "${SYNTH_ELABORATE:-}" ] && exit 0
grep -E "Number of cells|DSP48E1|RAMB18E1|RAMB36E1|LUT[1-6]|FD[RSCP]E|CARRY4|MUXF" "$out/stat.txt"
