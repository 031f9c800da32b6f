#!/usr/bin/env bash
# Proves that the parent pom's enforcer rules fail a build on a dependency-convergence conflict.
#
# Builds a throwaway project in a temporary directory whose parent is this repository's pom.xml (by
# relativePath, so nothing needs installing). It depends on two artifacts, "left" and "right", that pull versions 1.0
# and 2.0 of a third, "shared". The three are tiny POM-only artifacts written here into a file-based
# repository, so the check needs no network: Maven runs offline (-o), takes the parent's plugins and imports
# from the local repository the normal build filled, and reads the file repository (file:// is allowed
# offline through aether.offline.protocols).
#
# Two runs: the conflict must fail with the dependencyConvergence message; the same project with only
# "left" must pass (so the failure comes from the conflict, not from the setup).
#
# Usage: tools/check-enforcer.sh [extra mvn arguments, e.g. -Dmaven.repo.local=...]
# Needs a build of this commit first (.ci/run runs it after mvn verify).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/autoint-enforcer.XXXXXX")"
# Maven copies the canary artifacts into the local repository; remove them there too (best effort: the
# repository named by -Dmaven.repo.local=... in MAVEN_OPTS or the arguments, else the default one), so a
# changed canary is never read stale.
local_repo="$HOME/.m2/repository"
# shellcheck disable=SC2086 # MAVEN_OPTS is a list of words
for arg in ${MAVEN_OPTS:-} "$@"; do
  case "$arg" in -Dmaven.repo.local=*) local_repo="${arg#-Dmaven.repo.local=}" ;; esac
done
cleanup() {
  rm -rf "$work" "$local_repo/test/enforcer/canary"
  rmdir "$local_repo/test/enforcer" "$local_repo/test" 2>/dev/null || true
}
trap cleanup EXIT

# The parent's coordinates: the first <version> after <artifactId>autoint-parent</artifactId>.
parent_version="$(sed -n '/<artifactId>autoint-parent<\/artifactId>/,/<version>/s:.*<version>\(.*\)</version>.*:\1:p' \
  "$root/pom.xml" | head -1)"
[ -n "$parent_version" ] || { echo "check-enforcer: cannot read the parent version from $root/pom.xml" >&2; exit 1; }

repo="$work/repo"
# pom_artifact ARTIFACT VERSION [DEPENDENCY_ARTIFACT DEPENDENCY_VERSION]
pom_artifact() {
  local dir="$repo/test/enforcer/canary/$1/$2" deps=""
  mkdir -p "$dir"
  if [ $# -eq 4 ]; then
    deps="<dependencies><dependency><groupId>test.enforcer.canary</groupId><artifactId>$3</artifactId>"
    deps="$deps<version>$4</version><type>pom</type></dependency></dependencies>"
  fi
  cat > "$dir/$1-$2.pom" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>test.enforcer.canary</groupId>
  <artifactId>$1</artifactId>
  <version>$2</version>
  <packaging>pom</packaging>
  $deps
</project>
EOF
}
pom_artifact shared 1.0
pom_artifact shared 2.0
pom_artifact left 1.0 shared 1.0
pom_artifact right 1.0 shared 2.0

# project DIR DEPENDENCY_ARTIFACT...
project() {
  local dir="$1" deps="" a
  shift
  for a in "$@"; do
    deps="$deps<dependency><groupId>test.enforcer.canary</groupId><artifactId>$a</artifactId>"
    deps="$deps<version>1.0</version><type>pom</type></dependency>"
  done
  mkdir -p "$dir"
  # Maven reads relativePath against the project directory even when it is absolute.
  local parent_pom
  parent_pom="$(realpath --relative-to="$dir" "$root/pom.xml")"
  cat > "$dir/pom.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <parent>
    <groupId>dev.autoint</groupId>
    <artifactId>autoint-parent</artifactId>
    <version>$parent_version</version>
    <relativePath>$parent_pom</relativePath>
  </parent>
  <artifactId>enforcer-canary</artifactId>
  <packaging>pom</packaging>
  <repositories>
    <repository>
      <id>enforcer-canary</id>
      <url>file://$repo</url>
    </repository>
  </repositories>
  <dependencies>$deps</dependencies>
</project>
EOF
}
project "$work/conflict" left right
project "$work/control" left

run() { # run DIR LOG [mvn arguments]: the enforcer runs in validate
  local dir="$1" log="$2"
  shift 2
  (cd "$dir" && mvn -B -o -Daether.offline.protocols=file "$@" validate) > "$log" 2>&1
}

if run "$work/conflict" "$work/conflict.log" "${@}"; then
  cat "$work/conflict.log"
  echo "check-enforcer: FAILED: a build with conflicting versions of test.enforcer.canary:shared passed" >&2
  exit 1
fi
if ! grep -q "Dependency convergence error for test.enforcer.canary:shared" "$work/conflict.log"; then
  cat "$work/conflict.log"
  echo "check-enforcer: FAILED: the build failed, but not with the dependencyConvergence message" >&2
  exit 1
fi
echo "check-enforcer: the conflict fails the build as it should:"
sed -n '/DependencyConvergence failed/,/-> \[Help/p' "$work/conflict.log" | head -20

if ! run "$work/control" "$work/control.log" "${@}"; then
  cat "$work/control.log"
  echo "check-enforcer: FAILED: the same project without the conflict did not build" >&2
  exit 1
fi
echo "check-enforcer: OK (without the conflict the same project passes the enforcer)"
