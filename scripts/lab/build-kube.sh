#!/usr/bin/env bash
# Obtain the lab's control plane offline: kube-apiserver, kube-controller-manager,
# kube-scheduler and kubectl v1.20.2, built from Debian bookworm's own `kubernetes` source
# package with Debian's Go 1.19, plus etcd-server 3.4 from Debian.
#
# Idempotent: a binary already in the cache is kept; a second run takes a second.
#   env: NODE_RESCUE_LAB_CACHE  cache root (default ${XDG_CACHE_HOME:-~/.cache}/node-rescue/kube-lab)
#        binaries go to $NODE_RESCUE_LAB_CACHE/bin, sources and Go caches next to it.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${NODE_RESCUE_LAB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/node-rescue/kube-lab}
BIN=$CACHE/bin SRC=$CACHE/src
CMDS=(kube-apiserver kube-controller-manager kube-scheduler kubectl)
VERSION=v1.20.2
step() { printf '[build-kube +%3ss] %s\n' "$SECONDS" "$*"; }
die() { printf 'build-kube: %s\n' "$*" >&2; exit 1; }

have_all_binaries() { for c in "${CMDS[@]}"; do [ -x "$BIN/$c" ] || return 1; done; }

# --- Debian packages: etcd always (it runs the lab); the toolchain only when we must build.
need=()
dpkg -s etcd-server >/dev/null 2>&1 || need+=(etcd-server)
command -v openssl >/dev/null || need+=(openssl)
if ! have_all_binaries; then
  for p in golang-1.19-go dpkg-dev patch; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
fi
if ((${#need[@]})); then
  [ "$(id -u)" = 0 ] || die "missing Debian packages: ${need[*]}. Run as root, or: sudo apt-get install -y ${need[*]}"
  step "apt-get install ${need[*]}"
  apt-get update -qq || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null ||
    die "apt-get install ${need[*]} failed"
fi
if have_all_binaries; then step "binaries cached in $BIN"; exit 0; fi

mkdir -p "$BIN" "$SRC"
# A cold build needs about 3.5 GB (source 0.6 GB, Go build cache 1.5 GB, binaries 0.3 GB).
free_kb=$(df -Pk "$SRC" | awk 'NR==2 {print $4}')
((free_kb > 3500000)) || die "not enough disk space in $SRC: $((free_kb / 1024)) MiB free, 3.5 GB needed"

# --- Source: a deb-src twin of the configured Debian source (same URIs, suites, keys).
TREE=$(ls -d "$SRC"/kubernetes-*/ 2>/dev/null | head -1 || true)
if [ -z "$TREE" ]; then
  SRCLIST=/etc/apt/sources.list.d/node-rescue-debian-src.sources
  if ! grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/ && ! grep -qs '^deb-src' /etc/apt/sources.list; then
    [ "$(id -u)" = 0 ] || die "no deb-src entry for Debian: run as root once to add $SRCLIST"
    [ -f /etc/apt/sources.list.d/debian.sources ] || die "no /etc/apt/sources.list.d/debian.sources to mirror as deb-src"
    sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources >"$SRCLIST"
    apt-get update -qq || die "apt-get update failed after adding $SRCLIST"
  fi
  step "apt-get source kubernetes (34 MB)"
  (cd "$SRC" && apt-get source -qq kubernetes >/dev/null 2>&1) || die "apt-get source kubernetes failed"
  TREE=$(ls -d "$SRC"/kubernetes-*/ | head -1)
fi

# Vendored modern-go/reflect2 v1.0.1 declares reflect.mapiterinit with its pre-Go-1.18
# signature: encoding any non-empty map segfaults. Apply the reflect2 v1.0.2 fix.
if ! grep -q 'm unsafe.Pointer, it \*hiter)' "$TREE/vendor/github.com/modern-go/reflect2/unsafe_link.go"; then
  step "patching vendored reflect2 for Go >= 1.18"
  patch -d "$TREE" -p1 -s <"$HERE/reflect2-go1.18.patch"
fi

# Debian's Go 1.19 by its full path, never the `go` on PATH: the machine may also carry a newer
# Go (1.26 here), which cannot build this tree (GOPATH mode and vendored code of 2021).
GOROOT=/usr/lib/go-1.19
[ -x "$GOROOT/bin/go" ] || die "Debian's Go 1.19 is missing at $GOROOT/bin/go (apt-get install golang-1.19-go)"
export GOROOT PATH="$GOROOT/bin:$PATH" GOTOOLCHAIN=local
go version | grep -q 'go1\.19' || die "expected Go 1.19 from $GOROOT, got: $(go version)"
step "$(go version)"

# Kubernetes 1.20 builds in GOPATH mode with vendor/ (module mode refuses: "updates to go.mod
# needed"); version ldflags then use the vendored import paths. GOPROXY=off: never the network.
export GOPATH=$SRC/gopath GOCACHE=$CACHE/go-build GO111MODULE=off CGO_ENABLED=0 GOFLAGS= GOPROXY=off
mkdir -p "$GOPATH/src/k8s.io"
[ -L "$GOPATH/src/k8s.io/kubernetes" ] || ln -s "${TREE%/}" "$GOPATH/src/k8s.io/kubernetes"
cd "$GOPATH/src/k8s.io/kubernetes"
LD="-s -w"
for pkg in k8s.io/kubernetes/vendor/k8s.io/{component-base/version,client-go/pkg/version}; do
  LD+=" -X $pkg.gitVersion=$VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=20 -X $pkg.gitTreeState=archive"
done

# The tarball lacks pkg/generated/openapi/zz_generated.openapi.go; generate it the way
# Makefile.generated_files does, over every package tagged +k8s:openapi-gen=.
OA=pkg/generated/openapi/zz_generated.openapi.go
if [ ! -s "$OA" ]; then
  step "generating $OA"
  go build -o "$GOPATH/bin/openapi-gen" ./vendor/k8s.io/kube-openapi/cmd/openapi-gen
  dirs=$(find -H . -not \( \( -path './_*' -o -path './.*' -o -path ./vendor \) -prune \) -type f -name '*.go' |
    sed 's|^./staging/src|vendor|; s|/[^/]*$||; s|^./||' | LC_ALL=C sort -u |
    grep -v '^vendor/k8s.io/\(code-generator\|sample-apiserver\)/' |
    while read -r d; do grep -l '^// *+k8s:' "$d"/*.go 2>/dev/null | xargs -r grep -l '+k8s:openapi-gen=' | head -1 || true; done |
    xargs -n1 dirname | LC_ALL=C sort -u | sed 's|^|k8s.io/kubernetes/|' | paste -sd,)
  "$GOPATH/bin/openapi-gen" --logtostderr=false -i "$dirs" -p k8s.io/kubernetes/pkg/generated/openapi \
    -O zz_generated.openapi -h vendor/k8s.io/code-generator/hack/boilerplate.go.txt \
    -r "$SRC/openapi-violations.report" 2>"$SRC/openapi-gen.log" || die "openapi-gen failed (see $SRC/openapi-gen.log)"
fi

for c in "${CMDS[@]}"; do
  [ -x "$BIN/$c" ] && { step "$c cached"; continue; }
  step "building $c$([ "$c" = kube-apiserver ] && echo ' (about 5 min on 2 cores)')"
  t=$SECONDS
  go build -trimpath -ldflags "$LD" -o "$BIN/$c.tmp" "./cmd/$c" || die "go build ./cmd/$c failed"
  mv "$BIN/$c.tmp" "$BIN/$c"
  step "built $c in $((SECONDS - t))s"
done
# The benchmark reports the cold build's duration.
printf '{"coldBuildSeconds":%d,"builtAt":"%s"}\n' "$SECONDS" "$(date -u +%FT%TZ)" >"$BIN/build-stats.json"
step "done: binaries in $BIN"
