#!/usr/bin/env bash
# A single-node Slurm on this machine, for tests (tb/cluster): munged,
# slurmctld and slurmd with all state under DIR, on ports of their own.
#   scripts/cluster/local_slurm.sh start DIR   prints the exports to use it
#   scripts/cluster/local_slurm.sh stop DIR    stops what start started (by pid)
# Needs root (slurmd) and Debian's slurm-wlm and munge. Exit 77 (a skip for
# ctest) with the reason on stderr when they cannot run here.
set -euo pipefail
cmd=${1:?start or stop}; dir=${2:?state directory}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
stop() {
  local f p pids=()
  for f in slurmd slurmctld munged; do
    p=$(cat "$dir/$f.pid" 2>/dev/null || true)
    [ -n "$p" ] && pids+=("$p")
  done
  [ ${#pids[@]} -gt 0 ] || return 0
  kill "${pids[@]}" 2>/dev/null || true
  for p in "${pids[@]}"; do
    for _ in $(seq 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  done
  rm -f "$dir/slurmd.pid" "$dir/slurmctld.pid" "$dir/munged.pid"
}
skip() { echo "local_slurm: cannot run Slurm here: $*" >&2; stop; exit 77; }
if [ "$cmd" = stop ]; then stop; exit 0; fi
[ "$cmd" = start ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }
[ "$(id -u)" = 0 ] || skip "slurmd needs root"
for b in munged mungekey slurmctld slurmd sbatch sinfo; do
  command -v "$b" >/dev/null || skip "$b not installed (Debian: slurm-wlm, munge)"
done
mkdir -p "$dir/state" "$dir/spool" "$dir/log"
# munge: its own key and socket.
[ -s "$dir/munge.key" ] || mungekey -c -k "$dir/munge.key" 2>/dev/null || skip "mungekey failed"
chmod 0400 "$dir/munge.key"
munged --force --key-file="$dir/munge.key" --socket="$dir/munge.socket" --pid-file="$dir/munged.pid" \
  --log-file="$dir/log/munged.log" --seed-file="$dir/munge.seed" || skip "munged did not start (see $dir/log/munged.log)"
# Ports from the directory name's hash: two test runs do not collide.
base=$(( 20000 + $(printf '%s' "$dir" | cksum | cut -d' ' -f1) % 20000 ))
host=$(hostname -s)
cpus=$(nproc)
cat > "$dir/slurm.conf" <<CONF
ClusterName=local
SlurmctldHost=$host
SlurmctldPort=$base
SlurmdPort=$((base + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge.socket
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
SchedulerType=sched/builtin
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
NodeName=$host CPUs=$cpus State=UNKNOWN
PartitionName=local Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$dir/slurm.conf
slurmctld -f "$SLURM_CONF" -i || skip "slurmctld did not start (see $dir/log/slurmctld.log)"
slurmd -f "$SLURM_CONF" || skip "slurmd did not start (see $dir/log/slurmd.log)"
# Up when the node is idle (a few seconds).
for _ in $(seq 100); do
  if sinfo -h -N -o '%T' 2>/dev/null | grep -q '^idle'; then
    echo "export SLURM_CONF=$SLURM_CONF"
    exit 0
  fi
  sleep 0.2
done
skip "the node did not become idle in 20 s: $(sinfo -h -N -o '%T' 2>&1 | head -1) (see $dir/log/)"
