#!/usr/bin/env bash
# Builds the real API server for the "realapi" test tier (docs/testing.md) from Go modules:
# kube-apiserver (and kube-controller-manager, for its garbage collector) from k8s.io/kubernetes
# at the version pinned in test-infra/kube/go.mod, etcd from go.etcd.io/etcd/server/v3 at the
# version pinned in test-infra/etcd/go.mod. Go is used only for this test infrastructure.
#
# The binaries go where fabric8's kube-api-test looks for them in offline mode:
#   ${KUBE_API_TEST_DIR:-~/.kubeapitest}/k8s/<k8s version>-linux-amd64/{kube-apiserver,etcd,kubectl}
# plus kube-controller-manager. kubectl is the one scripts/kubectl.sh installs.
#
# Idempotent: a stamp file records the hash of the pinning go.mod/go.sum files; when it matches
# and the binaries are there, nothing is built. Go's module and build caches make a rebuild after
# a version bump incremental. Only the directory is printed on stdout; progress goes to stderr.
#
# Usage:  DIR=$(scripts/kube-apiserver.sh)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
INFRA="$ROOT/test-infra"

k8s_version() { awk '$1 == "require" && $2 == "k8s.io/kubernetes" { sub(/^v/, "", $3); print $3 }' "$INFRA/kube/go.mod"; }
K8S_VERSION="$(k8s_version)"
[[ -n "$K8S_VERSION" ]] || { echo "kube-apiserver.sh: no k8s.io/kubernetes version in $INFRA/kube/go.mod" >&2; exit 1; }

TEST_DIR="${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}"
DIR="$TEST_DIR/k8s/${K8S_VERSION}-linux-amd64"
STAMP="$DIR/.isolation-operator-stamp"
WANT="$(cat "$INFRA"/kube/go.mod "$INFRA"/kube/go.sum "$INFRA"/etcd/go.mod "$INFRA"/etcd/go.sum "$0" | sha256sum | cut -d' ' -f1)"

if [[ -f "$STAMP" && "$(cat "$STAMP")" == "$WANT" && -x "$DIR/kube-apiserver" && -x "$DIR/etcd" && -x "$DIR/kubectl" ]]; then
  echo "$DIR"
  exit 0
fi

if [[ "$(uname -s)/$(uname -m)" != "Linux/x86_64" ]]; then
  echo "kube-apiserver.sh: kube-api-test looks for <version>-linux-amd64 binaries; this is $(uname -s)/$(uname -m)" >&2
  exit 1
fi
if ! command -v go >/dev/null 2>&1; then
  echo "kube-apiserver.sh: Go is not installed; it is needed to build kube-apiserver and etcd for the realapi tests" >&2
  exit 2
fi

KUBECTL="$("$ROOT/scripts/kubectl.sh")"
mkdir -p "$DIR"
WORK="$(mktemp -d "$DIR/.build.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

# Static binaries, no symbol tables: smaller and faster to link. -mod=readonly: the committed
# go.sum is the pin; a module the proxy serves with another hash fails the build.
export CGO_ENABLED=0 GOFLAGS="-mod=readonly -trimpath"
# Built outside Kubernetes' own build system, the binaries would report v0.0.0-master; stamp the
# pinned release into /version like the release build does.
MINOR="$(echo "$K8S_VERSION" | cut -d. -f2)"
VERSION_FLAGS="-X k8s.io/component-base/version.gitVersion=v$K8S_VERSION -X k8s.io/component-base/version.gitMajor=1"
VERSION_FLAGS+=" -X k8s.io/component-base/version.gitMinor=$MINOR -X k8s.io/component-base/version.gitTreeState=clean"
build() { # <module dir> <main package> <output name>
  echo "kube-apiserver.sh: go build $2 (module $1)" >&2
  local start=$SECONDS flags='-s -w'
  [[ "$1" == kube ]] && flags+=" $VERSION_FLAGS"
  ( cd "$INFRA/$1" && go build -ldflags="$flags" -o "$WORK/$3" "$2" )
  echo "kube-apiserver.sh: built $3 in $((SECONDS - start))s" >&2
}
build kube k8s.io/kubernetes/cmd/kube-apiserver kube-apiserver
build etcd go.etcd.io/etcd/server/v3 etcd
# Optional: only the garbage-collector test needs it, and it skips itself when it is missing.
if ! build kube k8s.io/kubernetes/cmd/kube-controller-manager kube-controller-manager; then
  echo "kube-apiserver.sh: kube-controller-manager did not build; the garbage-collector test will be skipped" >&2
fi
cp "$KUBECTL" "$WORK/kubectl"

for f in kube-apiserver etcd kubectl kube-controller-manager; do
  [[ -f "$WORK/$f" ]] && mv -f "$WORK/$f" "$DIR/$f"
done
"$DIR/kube-apiserver" --version >&2
"$DIR/etcd" --version | head -n1 >&2
echo "$WANT" > "$STAMP"
echo "$DIR"
