#!/usr/bin/env bash
# Runs the benchmarks and writes their table to bench/RESULTS.md.
# Usage: bench/run.sh BUILD_DIR   (called by `make bench`)
set -euo pipefail
build=$1
tmp=$(mktemp -d "$PWD/build/bench-tmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
{
  echo "# Benchmarks"
  echo
  echo "Made by \`make bench\` on $(date -u +%Y-%m-%d) — $(nproc) cores, $(uname -m), $(df -h "$tmp" | awk 'NR==2{print $1}') disk."
  echo "Each figure is beside a baseline or ceiling measured in the same run; ratio = figure / baseline"
  echo "(for times, lower is better; for rates, higher is better)."
  echo
  echo "| figure | value | baseline (same run) | ratio | target |"
  echo "|---|---|---|---|---|"
  "$build/bench/bench_calendar"
  "$build/bench/bench_store" "$tmp"
} | tee bench/RESULTS.md
