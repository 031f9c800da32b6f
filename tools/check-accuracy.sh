#!/usr/bin/env bash
# Trains the seeds recipe on ml-1m-half with the command-line tool and fails unless the test figures reach
# the levels the project documents (AUC >= 0.748, gAUC >= 0.733, NDCG@10 >= 0.842 on the held-out protocol).
# Usage: tools/check-accuracy.sh [DATASETS_DIR]   (default ../shared/datasets)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
datasets="${1:-$root/../shared/datasets}"
dir="$datasets/ml-1m-half"
if [ ! -f "$dir/ratings.dat" ]; then
  echo "check-accuracy: $dir/ratings.dat not found" >&2
  exit 1
fi
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
"$root/bin/autoint" train --data "$dir" --out "$out/model" --quiet | tee "$out/log"
row="$(grep -E '^autoint\+ ' "$out/log")"
read -r _ auc logloss gauc ndcg p10 <<<"$row"
echo "check-accuracy: AUC $auc, gAUC $gauc, NDCG@10 $ndcg"
awk -v auc="$auc" -v gauc="$gauc" -v ndcg="$ndcg" 'BEGIN {
  ok = (auc >= 0.748) && (gauc >= 0.733) && (ndcg >= 0.842);
  if (!ok) { print "check-accuracy: FAILED (need AUC >= 0.748, gAUC >= 0.733, NDCG@10 >= 0.842)"; exit 1 }
  print "check-accuracy: passed" }'
