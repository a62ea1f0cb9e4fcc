#!/usr/bin/env bash
# Installs the system packages Switchboard's scripts need, when they are missing. Sourced by run.sh and
# test.sh; safe to run again. Needs root or sudo only when something is missing.
set -euo pipefail

# need_package COMMAND DEBIAN_PACKAGE: install the package if the command is not on PATH.
need_package() {
    local command=$1 package=$2
    if command -v "$command" >/dev/null 2>&1; then return 0; fi
    echo "bootstrap: installing $package (for $command)"
    apt_install "$package"
}

# need_library PKG_CONFIG_NAME_OR_FILE DEBIAN_PACKAGE: install a -dev package when dpkg lacks it.
need_deb() {
    local package=$1
    if dpkg -s "$package" >/dev/null 2>&1; then return 0; fi
    echo "bootstrap: installing $package"
    apt_install "$package"
}

apt_updated=0
apt_install() {
    local sudo=""
    if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
    if [ "$apt_updated" = 0 ]; then
        DEBIAN_FRONTEND=noninteractive $sudo apt-get update -qq
        apt_updated=1
    fi
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# Scripts that only need the helpers above (scripts/test-postgres.sh) set BOOTSTRAP_HELPERS_ONLY=1.
if [ "${BOOTSTRAP_HELPERS_ONLY:-0}" = 1 ]; then return 0 2>/dev/null || exit 0; fi

if ! command -v swift >/dev/null 2>&1; then
    echo "bootstrap: the Swift toolchain (swift 6.1 or newer) must be on PATH" >&2
    exit 1
fi
# FoundationXML (the TwiML reader) links libxml2; FoundationNetworking (switchboard simulate) links libcurl.
need_deb libxml2
need_deb libcurl4
# The Supabase store's transport (Sources/CCurl) compiles against libcurl's headers, found with pkg-config.
need_deb libcurl4-openssl-dev
need_package pkg-config pkg-config
