#!/usr/bin/env bash
# The performance measurements of docs/performance.md. Run on an IDLE machine
# (nothing else running: the figures are speed figures), from the repository root, after
#   mvn -B -q package -DskipTests      (also writes target/tfmnist.jsa, the CDS archive the
#                                       benchmark's start-up times are also measured with)
# Takes about 35-40 minutes on this 2-core machine when idle (measured speeds: the CNN at 2,200
# examples/s at batch 50): the two benchmarks ~10 min; experts default ~9 min on mnist-small
# and ~9 min on Fashion-MNIST; experts --fast ~2.5 min on each. On a busy machine, several times that.
# BENCHMARK=0 skips the benchmarks, TRAINING=0 the training runs.
# Writes results/reference/perf/: lscpu.txt, benchmark.txt (Markdown tables), benchmark.json,
# one directory per training run (metrics.csv, run.properties, console.log; the checkpoints and
# SavedModels stay in $RUNS), and timings.csv (wall time of each run, launch to exit).
set -euo pipefail
cd "$(dirname "$0")/../../.."
OUT=results/reference/perf
RUNS=${RUNS:-/tmp/tfmnist-perf-runs}
JAR=target/tfmnist.jar
MNIST_SMALL=${MNIST_SMALL:-../shared/data/mnist-small}
FASHION=${FASHION:-/usr/share/datasets/fashion-mnist}
export TF_CPP_MIN_LOG_LEVEL=2

[ -f "$JAR" ] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 1; }
if [ "${TRAINING:-1}" != 0 ] && [ -e "$RUNS" ]; then echo "$RUNS exists: remove it or set RUNS=..." >&2; exit 1; fi
mkdir -p "$OUT"
echo "$(date -u +%FT%TZ) load before start: $(cat /proc/loadavg)" | tee -a "$OUT/load.txt"

lscpu > "$OUT/lscpu.txt"
if [ "${BENCHMARK:-1}" != 0 ]; then   # BENCHMARK=0: the training runs only
  java -jar "$JAR" benchmark --data-dir "$MNIST_SMALL" --sessions | tee "$OUT/benchmark.txt"
  java -jar "$JAR" benchmark --data-dir "$MNIST_SMALL" --json > "$OUT/benchmark.json"
fi

if [ "${TRAINING:-1}" = 0 ]; then   # TRAINING=0: the benchmarks only
  echo "$(date -u +%FT%TZ) load at the end: $(cat /proc/loadavg)" | tee -a "$OUT/load.txt"
  exit 0
fi

mkdir -p "$RUNS"
echo "run,data,wall_seconds,final_test_accuracy,precision,float32_saved_model_test_accuracy" > "$OUT/timings.csv"
train() { # name data-dir options...
  local name=$1 data=$2; shift 2
  local start end
  start=$(date +%s.%N)
  java -jar "$JAR" experts --data-dir "$data" --run-dir "$RUNS/$name" "$@" 2>&1 | tee "$RUNS/$name.log"
  end=$(date +%s.%N)
  mkdir -p "$OUT/$name"
  cp "$RUNS/$name/metrics.csv" "$RUNS/$name/run.properties" "$OUT/$name/"
  cp "$RUNS/$name.log" "$OUT/$name/console.log"
  local acc precision exported
  acc=$(grep '^test accuracy' "$RUNS/$name.log" | tail -1 | cut -d' ' -f3)
  precision=$(grep '^precision=' "$RUNS/$name/run.properties" | cut -d= -f2)
  # the run's own test figure comes from its training session (bfloat16 where the run was);
  # the exported SavedModel is float32 whatever the run's precision: evaluate it too (not timed)
  exported=$(java -jar "$JAR" evaluate --model "$RUNS/$name/saved_model" --data-dir "$data" | grep '^test accuracy' | cut -d' ' -f3)
  echo "$name,$data,$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", e - s }'),$acc,$precision,$exported" >> "$OUT/timings.csv"
}
# default first, then --fast, one after the other on each data set
train experts-default-mnist-small "$MNIST_SMALL"
train experts-fast-mnist-small "$MNIST_SMALL" --fast
train experts-default-fashion-mnist "$FASHION"
train experts-fast-fashion-mnist "$FASHION" --fast

java -jar "$JAR" summary "$OUT"/experts-*-mnist-small "$OUT"/experts-*-fashion-mnist | tee "$OUT/summary.md"
awk -F, 'NR > 1 { wall[$1] = $3; acc[$1] = $4 }
  END {
    n = split("mnist-small fashion-mnist", sets, " ")
    for (i = 1; i <= n; i++) {
      f = "experts-fast-" sets[i]; d = "experts-default-" sets[i]
      printf "%s: --fast %.0f s / default %.0f s = %.3f of the wall time; test accuracy %s (fast) vs %s (default)\n",
        sets[i], wall[f], wall[d], wall[f] / wall[d], acc[f], acc[d]
    }
  }' "$OUT/timings.csv" | tee "$OUT/fast-vs-default.txt"
echo "$(date -u +%FT%TZ) load at the end: $(cat /proc/loadavg)" | tee -a "$OUT/load.txt"
