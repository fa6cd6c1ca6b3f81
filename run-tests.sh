#!/usr/bin/env bash
# The test command: finds, or installs, what the tests need that Maven does not bring (Redis,
# Chromium, Node.js), says what it does, then runs every test with `mvn -B verify`. Arguments
# go to Maven (e.g. ./run-tests.sh -pl syncro-runtime). Debian/Ubuntu (apt-get) and macOS
# (Homebrew); elsewhere it names what to install and stops.
set -euo pipefail
cd "$(dirname "$0")"

say() { printf '[run-tests] %s\n' "$*"; }

installer() {
  if command -v apt-get >/dev/null 2>&1; then
    echo apt
  elif command -v brew >/dev/null 2>&1; then
    echo brew
  else
    echo none
  fi
}

# install DEBIAN_PACKAGES... -- BREW_ARGS...
install() {
  local debian=() brew=() seen_separator=no
  for arg in "$@"; do
    if [ "$arg" = "--" ]; then seen_separator=yes; continue; fi
    if [ "$seen_separator" = no ]; then debian+=("$arg"); else brew+=("$arg"); fi
  done
  case "$(installer)" in
    apt)
      local sudo=()
      [ "$(id -u)" -ne 0 ] && sudo=(sudo)
      say "installing ${debian[*]} with apt-get"
      ${sudo[@]+"${sudo[@]}"} apt-get update -qq
      ${sudo[@]+"${sudo[@]}"} env DEBIAN_FRONTEND=noninteractive \
          apt-get install -y -qq "${debian[@]}" >/dev/null
      ;;
    brew)
      say "installing ${brew[*]} with Homebrew"
      brew install "${brew[@]}"
      ;;
    *)
      say "cannot install ${debian[*]} here: install it yourself, then run this again"
      exit 1
      ;;
  esac
}

command -v java >/dev/null 2>&1 || { say "needs JDK 17 or later (java not found)"; exit 1; }
command -v mvn >/dev/null 2>&1 || { say "needs Maven 3.8 or later (mvn not found)"; exit 1; }

# Redis: the storage tests talk to REDIS_URL (default redis://127.0.0.1:6379) and start a
# redis-server of their own when nothing answers there, so the server binary is what is needed.
if command -v redis-server >/dev/null 2>&1; then
  say "Redis: $(command -v redis-server)"
else
  install redis-server -- redis
fi

# Node.js runs the browser test's script (it installs Playwright's core package from npm).
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
  say "Node.js: $(node --version)"
else
  install nodejs npm -- node
fi

# Chromium for the browser test: CHROMIUM if set, else the usual places.
find_chromium() {
  local candidate
  for candidate in "${CHROMIUM:-}" "$(command -v chromium 2>/dev/null || true)" \
      "$(command -v chromium-browser 2>/dev/null || true)" \
      "$(command -v google-chrome 2>/dev/null || true)" \
      "/Applications/Chromium.app/Contents/MacOS/Chromium" \
      "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"; do
    if [ -n "$candidate" ] && [ -x "$candidate" ]; then
      echo "$candidate"
      return
    fi
  done
}
CHROMIUM="$(find_chromium)"
if [ -z "$CHROMIUM" ]; then
  install chromium -- --cask chromium
  CHROMIUM="$(find_chromium)"
fi
export CHROMIUM
say "Chromium: $CHROMIUM"

say "mvn -B verify $*"
exec mvn -B verify "$@"
