#!/usr/bin/env bash
# Fails when javadoc reports any warning or error in a source file of the library modules (autoint-core,
# autoint-data, autoint-eval), with the doclint groups the parent pom enables; prints them, counted by file.
#
# The javadoc plugin's failOnWarnings cannot do this: on JDK 17, javadoc prints "using incubating module(s):
# jdk.incubator.vector" whenever that module is in the module graph, and core's "requires static" puts it there
# for every module that reads core; the warning names no file and cannot be switched off. So this script runs
# the javadoc goal and counts only the warnings that name a file and line.
#
# Usage: tools/check-javadoc.sh [extra mvn arguments, e.g. -o -Dmaven.repo.local=...]
# Builds the library modules in the same reactor ("package", no tests: up to date after mvn verify), since the
# javadoc goal alone cannot resolve autoint-core for -data and -eval without an install in ~/.m2.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
modules=autoint-core,autoint-data,autoint-eval
log="$(mktemp "${TMPDIR:-/tmp}/autoint-javadoc.XXXXXX")"
trap 'rm -f "$log"' EXIT
# The plugin skips javadoc when its options and sources look unchanged since the last run; this check must run it.
rm -f autoint-core/target/maven-javadoc-plugin-stale-data.txt autoint-data/target/maven-javadoc-plugin-stale-data.txt \
  autoint-eval/target/maven-javadoc-plugin-stale-data.txt
if ! mvn -B "$@" -pl "$modules" -DskipTests package javadoc:javadoc >"$log" 2>&1; then
  cat "$log"
  echo "check-javadoc: the javadoc build failed" >&2
  exit 1
fi
found="$(grep -oE '/[^ ]+\.java:[0-9]+: (warning|error): .*' "$log" | sort -u || true)"
if [ -n "$found" ]; then
  echo "$found"
  echo "check-javadoc: $(echo "$found" | wc -l) javadoc problem(s), by file:" >&2
  echo "$found" | sed -E 's|^'"$root"'/||; s|:[0-9]+: .*||' | sort | uniq -c >&2
  exit 1
fi
echo "check-javadoc: no javadoc warnings in $modules"
