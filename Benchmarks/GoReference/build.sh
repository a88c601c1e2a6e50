#!/usr/bin/env bash
# Builds gotemplate-timing offline from Debian's Go, sprig and sigs.k8s.io/yaml packages
# (the same ones ../shared/tools/gotemplate-ref uses), so the reference is measured here.
#   build.sh OUTPUT
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$1
if ! dpkg -s golang-go golang-github-masterminds-sprig-dev golang-k8s-sigs-yaml-dev >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq golang-go golang-github-masterminds-sprig-dev golang-k8s-sigs-yaml-dev >/dev/null
fi
gopath=$(mktemp -d)
trap 'rm -rf "$gopath"' EXIT
# Debian installs sprig and semver v3 without the /v3 suffix of their import paths.
mkdir -p "$gopath/src/github.com/Masterminds/sprig" "$gopath/src/github.com/Masterminds/semver" "$gopath/src/gotemplate-timing"
ln -s /usr/share/gocode/src/github.com/Masterminds/sprig "$gopath/src/github.com/Masterminds/sprig/v3"
ln -s /usr/share/gocode/src/github.com/Masterminds/semver "$gopath/src/github.com/Masterminds/semver/v3"
cp "$here/main.go" "$gopath/src/gotemplate-timing/"
cd "$gopath/src/gotemplate-timing"
GO111MODULE=off GOPATH="$gopath:/usr/share/gocode" GOCACHE="$gopath/cache" go build -o "$out" .
