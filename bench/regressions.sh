#!/usr/bin/env bash
# Compares two bench/RESULTS.md: for each figure in both (a table row's first
# column), its value's first number and unit; prints one line for each that
# fell more than 25% — a rate (…/s) below 0.75 of the old, a time (ms, s) or
# a size (KB, MB) above 1/0.75 of it. Rows without such a value are skipped.
# Usage: bench/regressions.sh OLD.md NEW.md
set -euo pipefail
rows() { # FILE -> "figure<TAB>number<TAB>unit", the first row of each figure, above the hand-written notes
  awk -F' \\| ' '
    /^## Notes by issue/ { exit }
    /^\| / && !/^\| figure/ && !/^\|---/ {
      fig = $1; sub(/^\| /, "", fig)
      if (fig in seen) next
      seen[fig] = 1
      n = split($2, t, " ")
      for (i = 1; i < n; i++) {
        v = t[i]; gsub(/,/, "", v)
        if (v ~ /^[0-9]+(\.[0-9]+)?$/) { u = t[i + 1]; gsub(/[,;()]/, "", u); print fig "\t" v "\t" u; break }
      }
    }' "$1"
}
awk -F'\t' '
  NR == FNR { old[$1] = $2; unit[$1] = $3; next }
  ($1 in old) && unit[$1] == $3 && old[$1] > 0 {
    higher = $3 ~ /\/s$/; lower = $3 == "ms" || $3 == "s" || $3 == "KB" || $3 == "MB"
    r = $2 / old[$1]
    if ((higher && r < 0.75) || (lower && r > 1 / 0.75))
      printf "WARNING: %s: %s %s, was %s %s (%.0f%% %s)\n", $1, $2, $3, old[$1], $3,
             (higher ? (1 - r) : (r - 1)) * 100, higher ? "lower" : "higher"
  }' <(rows "$1") <(rows "$2")
