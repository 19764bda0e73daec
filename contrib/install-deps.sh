#!/usr/bin/env bash
# Installs the optional Debian packages the node and its tests use when present. Needs root.
#   libsecp256k1-1: ~4x faster signature verification and recovery than the built-in BouncyCastle backend.
#   litecoind:      a stock litecoin-cli (and later litecoind -regtest) for compatibility tests.
#   zstd:           the reference zstd tool, to check that batch frames are standard zstd.
#   chromium:       a real browser for the dashboard's tests (driven headless by PuppeteerSharp).
# Without them everything still works: BouncyCastle is used, and the tests that need them say they skipped.
set -euo pipefail

missing=()
ldconfig -p 2>/dev/null | grep -q 'libsecp256k1\.so' || missing+=(libsecp256k1-1)
command -v litecoin-cli >/dev/null 2>&1 || missing+=(litecoind)
command -v zstd >/dev/null 2>&1 || missing+=(zstd)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
if [ ${#missing[@]} -eq 0 ]; then
  echo "optional dependencies: already installed"
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "optional dependencies not installed: ${missing[*]} (run this script as root on Debian/Ubuntu)" >&2
  exit 0
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
echo "optional dependencies installed: ${missing[*]}"
