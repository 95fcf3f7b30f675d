#!/usr/bin/env bash
# Builds the web interface (ui/) into build/web with Vite: the packages from
# package-lock.json (npm ci, again only when the lock changed), then the
# hashed, precompressed assets. Called by make.
set -euo pipefail
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
node_modules/.bin/vite build --config ui/vite.config.mjs --logLevel warn
