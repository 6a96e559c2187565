#!/usr/bin/env bash
# Obtain the lab's current control plane: kube-apiserver, kube-controller-manager,
# kube-scheduler and kubectl from k8s.io/kubernetes as a Go module (scripts/lab/modern: one
# multi-call binary `kube`, with symlinks named after each command), etcd from
# go.etcd.io/etcd/server/v3 (scripts/lab/modern/etcd), and Helm, which the chart's tests run
# (helm.sh/helm/v4, scripts/deploy/helm: the same k8s.io modules), built with the Go on PATH.
#
# The versions are the ones the committed go.mod files name; go.sum pins every module, and the
# build itself runs with GOPROXY=off: only `go mod download` touches the network (the Go module
# proxy), and only on a cold cache.
#
# Idempotent: binaries built from the same sources and flags are kept; a second run takes a second.
#   env: NODE_RESCUE_LAB_CACHE  cache root (default ${XDG_CACHE_HOME:-~/.cache}/node-rescue/kube-lab)
#        binaries go to $NODE_RESCUE_LAB_CACHE/modern/bin, the Go module and build caches next to it.
#   --check: exit 0 when the cached binaries are current, 1 when a build is needed; builds nothing.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$HERE/modern
HELM_SRC=$(cd "$HERE/../deploy/helm" && pwd)
CACHE=${NODE_RESCUE_LAB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/node-rescue/kube-lab}
OUT=$CACHE/modern BIN=$CACHE/modern/bin
CMDS=(kube-apiserver kube-controller-manager kube-scheduler kubectl)
step() { printf '[build-kube-modern +%3ss] %s\n' "$SECONDS" "$*"; }
die() { printf 'build-kube-modern: %s\n' "$*" >&2; exit 1; }

module_version() { awk -v m="$2" '$1 == m {print $2; exit} $1 == "require" && $2 == m {print $3; exit}' "$1"; }
KUBE_VERSION=$(module_version "$SRC/go.mod" k8s.io/kubernetes)
ETCD_VERSION=$(module_version "$SRC/etcd/go.mod" go.etcd.io/etcd/server/v3)
HELM_VERSION=$(module_version "$HELM_SRC/go.mod" helm.sh/helm/v4)
[[ $KUBE_VERSION =~ ^v1\.([0-9]+)\.[0-9]+$ ]] || die "no k8s.io/kubernetes release in $SRC/go.mod (found '$KUBE_VERSION')"
KUBE_MINOR=${BASH_REMATCH[1]}

LD="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  LD+=" -X $pkg.gitVersion=$KUBE_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$KUBE_MINOR -X $pkg.gitTreeState=clean"
done

# What the binaries are built from; a change to any of it rebuilds them.
stamp=$(cat "$SRC"/go.mod "$SRC"/go.sum "$SRC"/*.go "$SRC"/etcd/go.mod "$SRC"/etcd/go.sum "$SRC"/etcd/*.go "$HELM_SRC"/go.mod "$HELM_SRC"/go.sum |
  { cat; echo "$LD"; } | sha256sum | cut -c1-16)
have_all_binaries() {
  [ "$(cat "$BIN/.stamp" 2>/dev/null)" = "$stamp" ] || return 1
  for c in kube etcd helm "${CMDS[@]}"; do [ -x "$BIN/$c" ] || return 1; done
}
if [ "${1:-}" = --check ]; then have_all_binaries; exit; fi
if have_all_binaries; then step "binaries ($KUBE_VERSION, etcd $ETCD_VERSION) cached in $BIN"; exit 0; fi

# The Go on PATH, never a downloaded toolchain.
export GOTOOLCHAIN=local
command -v go >/dev/null || die "no go on PATH: Kubernetes $KUBE_VERSION needs Go >= $(module_version "$SRC/go.mod" go)"
need_go=$(awk '$1 == "go" {print $2; exit}' "$SRC/go.mod")
have_go=$(go env GOVERSION) have_go=${have_go#go}
[ "$(printf '%s\n%s\n' "$need_go" "$have_go" | sort -V | head -1)" = "$need_go" ] ||
  die "Go $have_go on PATH ($(command -v go)) is older than the $need_go that $SRC/go.mod needs"
step "$(go version)"

mkdir -p "$BIN"
# A cold build needs about 5 GB (modules 0.75 GB, Go build cache 4 GB, binaries 0.16 GB) and
# 3 GB of memory (the link).
free_kb=$(df -Pk "$OUT" | awk 'NR==2 {print $4}')
((free_kb > 5500000)) || die "not enough disk space in $OUT: $((free_kb / 1024)) MiB free, 5.5 GB needed"

export GOMODCACHE=$OUT/gomod GOCACHE=$OUT/go-build CGO_ENABLED=0 GOFLAGS="-mod=readonly -modcacherw -buildvcs=false"
# Cold: neither modules nor compiled packages cached. Only a cold build's time is recorded.
cold=false
[ -d "$GOMODCACHE" ] || [ -d "$GOCACHE" ] || cold=true
unset GOPATH GOROOT

t=$SECONDS
step "go mod download (Kubernetes $KUBE_VERSION, etcd $ETCD_VERSION; 0.75 GB on a cold cache)"
for m in "$SRC" "$SRC/etcd" "$HELM_SRC"; do
  (cd "$m" && go mod download) || die "go mod download in $m failed (the Go module proxy must be reachable on a cold cache)"
done
step "modules ready in $((SECONDS - t))s"

# Nothing but the module cache from here on.
export GOPROXY=off
build() { # dir output what [package [ldflags]]
  local t=$SECONDS
  step "building $3"
  (cd "$1" && go build -trimpath -ldflags "${5:-$LD}" -o "$2.tmp" "${4:-.}") || die "go build in $1 failed"
  mv "$2.tmp" "$2"
  step "built $(basename "$2") in $((SECONDS - t))s ($(($(stat -c %s "$2") / 1048576)) MiB)"
}
build "$SRC" "$BIN/kube" "kube ($KUBE_VERSION: ${CMDS[*]}; about 9 min cold on 2 cores, 3 GB of memory to link)"
build "$SRC/etcd" "$BIN/etcd" "etcd $ETCD_VERSION"
build "$HELM_SRC" "$BIN/helm" "helm $HELM_VERSION" helm.sh/helm/v4/cmd/helm "-s -w"
for c in "${CMDS[@]}"; do ln -sfn kube "$BIN/$c"; done
"$BIN/kube-apiserver" --version | grep -qx "Kubernetes $KUBE_VERSION" ||
  die "kube-apiserver reports '$("$BIN/kube-apiserver" --version)', expected Kubernetes $KUBE_VERSION"
echo "$stamp" >"$BIN/.stamp"
# The benchmark reports the cold build's duration (a rebuild from warm caches keeps the record).
if $cold || [ ! -f "$BIN/build-stats.json" ]; then
  # A background build (npm test, SCHED_IDLE) shares the CPU with the suites: its time is wall
  # time, not a build time, and is recorded as such.
  printf '{"coldBuildSeconds":%s,"kubeVersion":"%s","etcdVersion":"%s","builtAt":"%s","background":%s}\n' \
    "$($cold && echo "$SECONDS" || echo null)" "$KUBE_VERSION" "$ETCD_VERSION" "$(date -u +%FT%TZ)" \
    "$([ -n "${NODE_RESCUE_BACKGROUND_BUILD:-}" ] && echo true || echo false)" >"$BIN/build-stats.json"
fi
step "done: binaries in $BIN"
