#!/usr/bin/env bash
# Module hygiene of the built jars, read with jdeps and with a plain listing of their entries. Fails if:
#  1. a package is in more than one of the project's jars (split package), by the listing or by jdeps, which
#     warns "split package" when it reads them all together;
#  2. a class of a library module (autoint-core, -data, -eval) refers to project code outside the library
#     modules (dev.autoint.bench, autoint-serve, examples, ...) or to any class under a module's
#     target/test-classes; or a class of any jar refers to a test framework (JUnit, AssertJ, jqwik,
#     opentest4j), to JMH or to dev.autoint.bench, except the benchmarks themselves (jdeps -verbose:class);
#  3. a jar other than autoint-bench's holds benchmark classes: a "bench" package, a class named *Benchmark*,
#     JMH's generated classes or its META-INF/BenchmarkList.
# The jars checked are each module's main jar (not the shaded benchmarks.jar and autoint.jar, which bundle the
# library by design).
#
# Usage: tools/check-modules.sh [extra mvn arguments, e.g. -o -Dmaven.repo.local=...]
# Needs the jars: run it after "mvn package" or "mvn verify" (.ci/run runs it after "mvn -B verify").
# Cost: one "mvn package dependency:build-classpath" (jdeps must resolve the library's module dependencies, Jackson and
# Commons Statistics) and two jdeps runs: about 15 s.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
work="$(mktemp -d "${TMPDIR:-/tmp}/autoint-modules.XXXXXX")"
trap 'rm -rf "$work"' EXIT

library=(autoint-core autoint-data autoint-eval)
others=(autoint-serve autoint-spark autoint-bench examples)
all=("${library[@]}" "${others[@]}")
version="$(sed -n '/<artifactId>autoint-parent<\/artifactId>/,/<version>/s:.*<version>\(.*\)</version>.*:\1:p' \
  pom.xml | head -1)"
jar_of() { printf '%s/target/%s-%s.jar' "$1" "$1" "$version"; }

status=0
violation() { echo "VIOLATION: $*"; status=1; }

jars=()
for m in "${all[@]}"; do
  j="$(jar_of "$m")"
  [ -f "$j" ] || { echo "check-modules: $j is missing; build the jars first (mvn -B package -DskipTests)" >&2; exit 2; }
  jars+=("$j")
  # Class entries, without module-info and the versioned copies of a multi-release jar.
  jar tf "$j" | grep '\.class$' | grep -v -e '^module-info\.class$' -e '^META-INF/' > "$work/$m.classes" || true
  jar tf "$j" | grep -v '/$' > "$work/$m.entries" || true  # files only
done

echo "== check-modules: split packages (entry listing of ${#all[@]} jars)"
for m in "${all[@]}"; do
  sed -n 's:/[^/]*\.class$::p' "$work/$m.classes" | tr / . | sort -u | sed "s:\$: $m:"
done | sort > "$work/packages"
awk '{ n[$1]++; where[$1] = where[$1] " " $2 }
     END { for (p in n) if (n[p] > 1) print p ":" where[p] }' "$work/packages" | sort > "$work/split-listing"
while read -r line; do violation "split package $line"; done < "$work/split-listing"
echo "   $(cut -d' ' -f1 "$work/packages" | sort -u | wc -l) packages, $(wc -l < "$work/split-listing") split"

echo "== check-modules: benchmark classes outside autoint-bench"
for m in "${all[@]}"; do
  [ "$m" = autoint-bench ] && continue
  grep -E '(^|/)bench/|(^|/)jmh_generated/|(^|/)[^/]*Benchmark[^/]*\.class$|^META-INF/BenchmarkList$' \
    "$work/$m.entries" | sed "s:^:$m holds benchmark code\: :" > "$work/bench-$m" || true
  while read -r line; do violation "$line"; done < "$work/bench-$m"
done

echo "== check-modules: jdeps"
# The library's module dependencies (Jackson, Commons Statistics), as Maven resolves them for autoint-eval. A goal
# alone cannot resolve autoint-core and -data from the reactor without an install (a fresh machine has none in
# ~/.m2), so the same call runs "package" (up to date after verify: no test runs, the jars are rewritten as they are).
mvn -B -q -pl autoint-eval -am -DskipTests package dependency:build-classpath -DincludeScope=runtime -DexcludeGroupIds=dev.autoint \
  -Dmdep.outputFile="$work/deps" "$@" > "$work/mvn.log" 2>&1 || { cat "$work/mvn.log" >&2; exit 2; }
deps="$(tr -d '\n' < "$work/deps")"
case "$deps" in
  *jackson-databind*commons-statistics-inference*|*commons-statistics-inference*jackson-databind*) ;;
  *) echo "check-modules: no Jackson or Commons Statistics in autoint-eval's class path: '$deps'" >&2; exit 2 ;;
esac
jdeps_run() { # jdeps over every jar at once: the library jars as modules, the others as class-path archives
  jdeps --multi-release 17 --module-path "$deps" --add-modules jdk.incubator.vector "$@" "${jars[@]}"
}

if ! jdeps_run -summary > "$work/jdeps-summary" 2>&1; then
  cat "$work/jdeps-summary"
  violation "jdeps could not read the jars together (two modules with one package fail module resolution)"
fi
grep -i 'split package' "$work/jdeps-summary" | sed 's:^:jdeps\: :' > "$work/split-jdeps" || true
while read -r line; do violation "$line"; done < "$work/split-jdeps"
echo "   jdeps: $(wc -l < "$work/split-jdeps") split packages"

jdeps_run -verbose:class -filter:none > "$work/jdeps-classes" 2>&1 || { cat "$work/jdeps-classes"; exit 2; }
# class name -> module that built it, from the listing; every test class of the project, from target/test-classes.
for m in "${all[@]}"; do sed 's:\.class$::; s:/:.:g' "$work/$m.classes" | sed "s:\$: $m:"; done > "$work/owner"
find . -path '*/target/test-classes/*' -name '*.class' | sed 's:^.*/target/test-classes/::; s:\.class$::; s:/:.:g' \
  | sort -u > "$work/test-classes"
echo "   $(wc -l < "$work/owner") classes in the jars, $(wc -l < "$work/test-classes") test classes in the work tree"
awk -v library=" ${library[*]} " '
  FILENAME == ARGV[1] { owner[$1] = $2; next }
  FILENAME == ARGV[2] { test[$1] = 1; next }
  $2 == "->" && ($1 in owner) {
    src = $1; dst = $3; m = owner[src]; lib = index(library, " " m " ") > 0
    if (dst in test) print m ": " src " -> " dst " (a test class)"
    else if (dst ~ /^(org\.junit|org\.assertj|net\.jqwik|org\.opentest4j)\./) print m ": " src " -> " dst " (a test framework)"
    else if (m != "autoint-bench" && dst ~ /^(dev\.autoint\.bench|org\.openjdk\.jmh)\./) print m ": " src " -> " dst " (benchmark code)"
    else if (lib && dst ~ /^dev\.autoint\./ && !((dst in owner) && index(library, " " owner[dst] " ") > 0))
      print m ": " src " -> " dst " (outside the library modules: " ((dst in owner) ? owner[dst] : "not in any jar") ")"
  }' "$work/owner" "$work/test-classes" "$work/jdeps-classes" | sort -u > "$work/bad-deps"
while read -r line; do violation "$line"; done < "$work/bad-deps"
echo "   $(grep -c ' -> ' "$work/jdeps-classes") class dependencies read, $(wc -l < "$work/bad-deps") forbidden"

if [ "$status" -ne 0 ]; then
  echo "check-modules: FAILED" >&2
  exit 1
fi
echo "check-modules: OK (${#all[@]} jars: no split package, no test or benchmark code in or used by the library)"
