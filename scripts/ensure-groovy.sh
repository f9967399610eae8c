#!/usr/bin/env bash
# Installs Debian's groovy (2.4.21, the version Jenkins embeds) when it is missing.
# Idempotent: does nothing once `groovy` is on PATH.
set -euo pipefail
if command -v groovy >/dev/null 2>&1 && command -v groovyc >/dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
echo "installing Debian's groovy (needed for Groovy compile checks and jobgen test)" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq groovy >/dev/null
