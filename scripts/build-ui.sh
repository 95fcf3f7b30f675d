#!/usr/bin/env bash
# Builds the web interface (ui/) into build/web with Vite: the packages from
# package-lock.json (npm ci, again only when the lock changed), then the
# hashed, precompressed assets. Called by make.
set -euo pipefail
# npm trusts the certificates the system trusts (as apt and curl do), not only
# Node.js's own list: a site's own CA in /etc/ssl/certs then works for both.
if [ -z "${NODE_EXTRA_CA_CERTS:-}" ] && [ -f /etc/ssl/certs/ca-certificates.crt ]; then
  export NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
fi
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
node_modules/.bin/vite build --config ui/vite.config.mjs --logLevel warn
