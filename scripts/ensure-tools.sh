#!/usr/bin/env bash
# Installs the Debian packages the tests and the demo use, when missing:
#   groovy   (2.4.21, the version Jenkins embeds: groovy, groovyc)
#   graphviz (dot, for `jobgen graph --format svg`)
# Idempotent: does nothing once every command is on PATH; one apt-get update at most.
set -euo pipefail
missing=()
command -v groovy >/dev/null 2>&1 && command -v groovyc >/dev/null 2>&1 || missing+=(groovy)
command -v dot >/dev/null 2>&1 || missing+=(graphviz)
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
echo "installing Debian packages: ${missing[*]}" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
