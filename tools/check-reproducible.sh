#!/usr/bin/env bash
# Reproducible builds: builds the published modules twice, each from a fresh copy of the work tree in its own
# directory (so neither build sees the other's target/, and a path that leaked into an artifact shows up), then
# compares the SHA-256 of every published file: each module's jar, -sources.jar and -javadoc.jar, the BOM's
# flattened pom and the CycloneDX SBOMs. Fails if any file differs or is missing.
#
# Usage: tools/check-reproducible.sh [extra mvn arguments, e.g. -Dmaven.repo.local=...]
# Cost: two "mvn package -DskipTests" of autoint-core, -data, -eval, -serve, -spark and -bom (a minute or two on two cores).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/autoint-repro.XXXXXX")"
trap 'rm -rf "$work"' EXIT

modules=(autoint-core autoint-data autoint-eval autoint-serve autoint-spark)
published() { # the files a release uploads, relative to the tree's root
  local m
  for m in "${modules[@]}"; do
    printf '%s\n' "$m/target/$m-$version.jar" "$m/target/$m-$version-sources.jar" \
      "$m/target/$m-$version-javadoc.jar" "$m/target/bom.json" "$m/target/bom.xml"
  done
  printf '%s\n' autoint-bom/target/autoint-bom.pom autoint-bom/target/bom.json autoint-bom/target/bom.xml \
    target/bom.json target/bom.xml
}
version="$(sed -n '/<artifactId>autoint-parent<\/artifactId>/,/<version>/s:.*<version>\(.*\)</version>.*:\1:p' \
  "$root/pom.xml" | head -1)"

for run in 1 2; do
  tree="$work/build-$run"
  mkdir -p "$tree"
  # The work tree as git sees it (tracked files plus new, not ignored ones), without target/ or other output.
  (cd "$root" && git ls-files -z --cached --others --exclude-standard) |
    (cd "$root" && xargs -0 sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh) |
    (cd "$root" && tar --null -T - -cf -) | tar -xf - -C "$tree"
  echo "== check-reproducible: build $run of 2 in $tree"
  (cd "$tree" && mvn -B -q package -DskipTests -pl autoint-core,autoint-data,autoint-eval,autoint-serve,autoint-spark,autoint-bom -am "$@")
  (cd "$tree" && published | while read -r f; do
      [ -f "$f" ] || { echo "check-reproducible: missing $f after build $run" >&2; exit 1; }
      sha256sum "$f"
    done) > "$work/sha256-$run.txt"
done

echo "== check-reproducible: SHA-256 of the published files"
status=0
while read -r sum file; do
  other="$(awk -v f="$file" '$2 == f { print $1 }' "$work/sha256-2.txt")"
  if [ "$sum" = "$other" ]; then
    echo "same     $sum  $file"
  else
    echo "DIFFERS  $sum / $other  $file"
    status=1
    case "$file" in
      *.jar)
        if diff <(unzip -v "$work/build-1/$file" | awk 'NR > 3 { print $7, $8 }') \
                <(unzip -v "$work/build-2/$file" | awk 'NR > 3 { print $7, $8 }') > "$work/entries.diff"; then
          echo "         same entries with the same CRCs: entry times, order or attributes differ"
        else
          head -20 "$work/entries.diff"
        fi ;;
      *) diff "$work/build-1/$file" "$work/build-2/$file" | head -20 || true ;;
    esac
  fi
done < "$work/sha256-1.txt"

if [ "$status" -ne 0 ]; then
  echo "check-reproducible: FAILED: two builds of the same tree gave different bytes" >&2
  exit 1
fi
echo "check-reproducible: OK ($(wc -l < "$work/sha256-1.txt") files byte-identical across two clean builds)"
