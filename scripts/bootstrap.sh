#!/usr/bin/env bash
# Installs what the build and the tests need, and nothing when it is all present.
# Debian 12 packages only; run as root (CI and developer machines are root).
# Usage: scripts/bootstrap.sh [release|test|bench|fuzz]: the tests and benchmarks
# also need a PostgreSQL 15 server (they start throwaway clusters of their
# own); `make run` does not.
set -euo pipefail

pkgs=(build-essential pkg-config libsqlite3-dev libpq-dev libjansson-dev libsodium-dev libmicrohttpd-dev
      libxml2-dev libqrencode-dev libpng-dev libxlsxwriter-dev libminizip-dev libcmocka-dev libcurl4-openssl-dev libssl-dev wrk)

# The web interface is built with Node.js 18 or newer and npm: Debian's own
# (nodejs, npm) unless a Node.js of that age is already installed.
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 18 ] || ! command -v npm > /dev/null; then pkgs+=(nodejs npm); fi

# clang with libFuzzer: the fuzz targets (fuzz/), which make test runs briefly
fuzz=(clang-14 libfuzzer-14-dev libclang-rt-14-dev)
case "${1:-release}" in
  # libyaml: the test that docs/openapi.yaml parses; chromium and a Chinese font: the
  # tests that render pages (the printed 交办单 to PDF)
  test) pkgs+=(postgresql-15 libyaml-dev chromium fonts-wqy-microhei "${fuzz[@]}") ;;
  fuzz) pkgs+=("${fuzz[@]}") ;;
  # valgrind: instruction counts, before and after; chromium: the web pages' bytes and times
  bench) pkgs+=(postgresql-15 valgrind chromium fonts-wqy-microhei) ;;
esac

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "bootstrap: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  # The tests run throwaway clusters of their own: the package need not
  # create (and start) a system-wide one.
  if [[ " ${missing[*]} " == *" postgresql-15 "* ]] && [ ! -e /etc/postgresql-common/createcluster.conf ]; then
    mkdir -p /etc/postgresql-common/createcluster.d
    echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.d/duban.conf
  fi
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
