#!/usr/bin/env bash
# scripts/bench.sh: the benchmark of BENCHMARKS.md, from a fresh clone, in
# one command. Builds the release binary, makes the Python peer's virtual
# environment if it is missing (../shared/peer/script/setup.sh), generates
# synthetic episodes with `missing-report synth`, and prints, per size:
#   - `metrics` and the pandas peer's metrics.py on the same file, run
#     alternately (median wall time and peak memory of each, and the ratio);
#   - `build --timings`: wall time per stage and peak memory;
# then one paper from the bundled example against the peer's script/run.sh
# (alternately), and a 150-authority regional build (`build --by authority`).
#
# Environment: SIZES (default "3000 100000 1000000 10000000"), RUNS (runs
# per command and size, default 3; sizes of 10 million or more run once),
# PEER (default ../shared/peer from the repository), CARGO_TARGET_DIR.
# Timings on a shared machine vary by a tenth or so: compare ratios from one
# run of the script, not figures from two.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PEER=${PEER:-$ROOT/../shared/peer}
SIZES=${SIZES:-"3000 100000 1000000 10000000"}
RUNS=${RUNS:-3}
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
BIN=$TARGET/release/missing-report
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

command -v /usr/bin/time >/dev/null || { echo "bench.sh: needs /usr/bin/time (apt-get install -y time)" >&2; exit 2; }
(cd "$ROOT" && cargo build --release --quiet)
PYTHON=""
if [ -f "$PEER/metrics.py" ]; then
  [ -x "$PEER/script/.venv/bin/python" ] || "$PEER/script/setup.sh" >&2
  PYTHON=$PEER/script/.venv/bin/python
else
  echo "bench.sh: no peer at $PEER (set PEER=...): our figures only" >&2
fi

# median of the numbers on standard input
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# runs "$@" under /usr/bin/time; appends "wall_s peak_kib" to $TIMES, standard error to $ERR
# (and to the terminal, with the command, if it fails)
timed() {
  if ! /usr/bin/time -f '%e %M' -o "$WORK/time" "$@" >/dev/null 2>"$ERR"; then
    echo "bench.sh: failed: $*" >&2; cat "$ERR" >&2; exit 1
  fi
  cat "$WORK/time" >>"$TIMES"
}
synth() { "$BIN" synth "$@" 2>"$WORK/synth.err" || { echo "bench.sh: synth $* failed" >&2; cat "$WORK/synth.err" >&2; exit 1; }; }
ratio() { case "$1$2" in *-*) echo "-" ;; *) awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0) printf "%.2f", b / a; else print "-" }' ;; esac; }
mib() { case "$1" in -) echo "-" ;; *) awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }' ;; esac; }

echo "# missing-report benchmark, $(date -u +%Y-%m-%d)"
echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(free -g | awk '/Mem:/ { print $2 }') GiB memory"
echo "binary: $BIN ($(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo 'no git'))"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

SUMMARY=$WORK/summary
for n in $SIZES; do
  file=$WORK/s$n.csv
  synth --episodes "$n" --seed 1 -o "$file"
  runs=$RUNS
  [ "$n" -ge 10000000 ] && runs=1
  echo "## $n episodes ($(du -m "$file" | cut -f1) MB of CSV), $runs run(s) each"
  : >"$WORK/ours" ; : >"$WORK/peer"
  rm -f "$WORK"/metrics_stages.* "$WORK"/build_stages.*
  for r in $(seq "$runs"); do
    TIMES=$WORK/ours ERR=$WORK/ours.err timed "$BIN" metrics -i "$file" -o "$WORK/m.csv" --timings
    grep -E '^  [a-z]' "$WORK/ours.err" >"$WORK/metrics_stages.$r" || true
    if [ -n "$PYTHON" ]; then
      TIMES=$WORK/peer ERR=$WORK/peer.err timed "$PYTHON" "$PEER/metrics.py" "$file" "$WORK/p.csv"
    fi
  done
  ours_s=$(cut -d' ' -f1 "$WORK/ours" | median); ours_k=$(cut -d' ' -f2 "$WORK/ours" | median)
  echo "metrics      : $ours_s s, $(mib "$ours_k") MiB  (runs: $(cut -d' ' -f1 "$WORK/ours" | tr '\n' ' '))"
  if [ -n "$PYTHON" ]; then
    peer_s=$(cut -d' ' -f1 "$WORK/peer" | median); peer_k=$(cut -d' ' -f2 "$WORK/peer" | median)
    echo "peer metrics : $peer_s s, $(mib "$peer_k") MiB  (runs: $(cut -d' ' -f1 "$WORK/peer" | tr '\n' ' '))"
    echo "ratio        : $(ratio "$ours_s" "$peer_s")x faster, $(ratio "$peer_k" "$ours_k")x the peer's memory"
  else
    peer_s="-"; peer_k="-"
  fi
  echo "metrics stages (ms, median):"
  for stage in ingest metrics export write; do
    printf '  %-8s %s\n' "$stage" "$(cat "$WORK"/metrics_stages.* | awk -v s="$stage" '$1 == s { print $2 }' | median)"
  done
  : >"$WORK/build"
  for r in $(seq "$runs"); do
    TIMES=$WORK/build ERR=$WORK/build.err timed "$BIN" build -i "$file" --out "$WORK/out" --timings
    grep -E '^  +[a-z]' "$WORK/build.err" | grep -E ' ms$' >"$WORK/build_stages.$r" || true
  done
  build_s=$(cut -d' ' -f1 "$WORK/build" | median); build_k=$(cut -d' ' -f2 "$WORK/build" | median)
  echo "build (overview paper): $build_s s, $(mib "$build_k") MiB; stages (ms, median):"
  for stage in ingest metrics export charts report render layout pdf tables write total; do
    printf '  %-8s %s\n' "$stage" "$(cat "$WORK"/build_stages.* | awk -v s="$stage" '$1 == s { print $2 }' | median)"
  done
  echo
  echo "| $n | $ours_s s | $(mib "$ours_k") MiB | $peer_s s | $(mib "$peer_k") MiB | $(ratio "$ours_s" "$peer_s")x | $build_s s |" >>"$SUMMARY"
done

echo "## One paper from the bundled example (examples/episodes.csv), warm"
: >"$WORK/ours"; : >"$WORK/peer"; : >"$WORK/cp"
for r in $(seq $((RUNS * 3))); do
  TIMES=$WORK/ours ERR=$WORK/ours.err timed "$BIN" build --out "$WORK/ex"
  TIMES=$WORK/cp ERR=$WORK/cp.err timed "$BIN" build --template corporate-parenting --out "$WORK/excp"
  if [ -n "$PYTHON" ]; then
    TIMES=$WORK/peer ERR=$WORK/peer.err timed "$PEER/script/run.sh" "$ROOT/examples/episodes.csv" "$WORK/peer_out"
  fi
done
ours_s=$(cut -d' ' -f1 "$WORK/ours" | median); cp_s=$(cut -d' ' -f1 "$WORK/cp" | median)
echo "build (overview)            : $ours_s s, $(mib "$(cut -d' ' -f2 "$WORK/ours" | median)") MiB"
echo "build (corporate-parenting) : $cp_s s, $(mib "$(cut -d' ' -f2 "$WORK/cp" | median)") MiB  (runs: $(cut -d' ' -f1 "$WORK/cp" | tr '\n' ' '))"
if [ -n "$PYTHON" ]; then
  peer_s=$(cut -d' ' -f1 "$WORK/peer" | median)
  echo "peer script/run.sh          : $peer_s s, $(mib "$(cut -d' ' -f2 "$WORK/peer" | median)") MiB"
  echo "ratio                       : overview $(ratio "$ours_s" "$peer_s")x faster, corporate-parenting pack $(ratio "$cp_s" "$peer_s")x faster"
fi
echo

echo "## Regional batch: 150 authorities of 3,000 episodes (build --by authority), one run"
synth --episodes 450000 --authorities 150 --seed 1 -o "$WORK/region.csv"
: >"$WORK/region"
TIMES=$WORK/region ERR=$WORK/region.err timed "$BIN" build --by authority -i "$WORK/region.csv" --out "$WORK/region_out" --timings
echo "build --by authority: $(cut -d' ' -f1 "$WORK/region") s, $(mib "$(cut -d' ' -f2 "$WORK/region")") MiB, $(find "$WORK/region_out" -mindepth 2 -name report.pdf | wc -l) authorities' papers and the regional summary"
grep -E '^  +[a-z]+ +[0-9.]+ ms$' "$WORK/region.err" | sed 's/^/  /'
echo

echo "## Summary (medians)"
echo "| episodes | metrics | peak | peer metrics.py | peer peak | faster | build |"
echo "|---|---|---|---|---|---|---|"
cat "$SUMMARY"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
