#!/usr/bin/env bash
# Installs the system packages the test suite drives for real: Chromium (browser tests),
# redis-server (gateway tests), openssl (self-signed certificates for the TLS tests),
# poppler-utils (pdftotext, which reads exported PDF reports back in the export tests) and
# promtool from the prometheus package (the alerting rules are checked and unit-tested).
# Debian/Ubuntu; needs root or sudo.
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
need=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need+=(chromium)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
command -v promtool >/dev/null 2>&1 || need+=(prometheus)
if [ ${#need[@]} -eq 0 ]; then
  echo "setup:system: chromium, redis-server, openssl, poppler-utils and promtool already installed"
  exit 0
fi
echo "setup:system: installing ${need[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
# Debian starts a redis-server service on install where an init system runs; the tests start
# their own on free ports, so that one is not needed.
