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

if ! command -v swift >/dev/null 2>&1; then
    echo "bootstrap: the Swift toolchain (swift 6.1 or newer) must be on PATH" >&2
    exit 1
fi
# FoundationXML (the TwiML reader) links libxml2; FoundationNetworking (switchboard simulate) links libcurl.
need_deb libxml2
need_deb libcurl4
