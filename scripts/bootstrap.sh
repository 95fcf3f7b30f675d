#!/usr/bin/env bash
# Installs what the build and the tests need, and nothing when it is all present.
# Debian 12 packages only; run as root (CI and developer machines are root).
set -euo pipefail

pkgs=(build-essential pkg-config libsqlite3-dev libpq-dev libjansson-dev libsodium-dev libmicrohttpd-dev
      libxml2-dev libcmocka-dev libcurl4-openssl-dev wrk)

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "bootstrap: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
