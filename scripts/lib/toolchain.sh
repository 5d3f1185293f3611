# Sourced by the other scripts: checks Node and makes `$PNPM` run the pinned pnpm,
# installing it into .tools/ (no root needed) when the machine has none or another version.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

if ! command -v node >/dev/null 2>&1; then
  echo "stem: Node.js 20 or newer is required and 'node' is not on PATH (https://nodejs.org)" >&2
  exit 1
fi
NODE_MAJOR="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$NODE_MAJOR" -lt 20 ]; then
  echo "stem: Node.js 20 or newer is required, found $(node --version)" >&2
  exit 1
fi

PNPM_VERSION="$(node -p 'require("./package.json").packageManager.split("@")[1]')"
if command -v pnpm >/dev/null 2>&1 && [ "$(pnpm --version 2>/dev/null)" = "$PNPM_VERSION" ]; then
  PNPM="pnpm"
else
  PNPM="$ROOT/.tools/node_modules/.bin/pnpm"
  if [ ! -x "$PNPM" ] || [ "$("$PNPM" --version 2>/dev/null)" != "$PNPM_VERSION" ]; then
    echo "stem: installing pnpm $PNPM_VERSION into .tools/"
    npm install --silent --no-audit --no-fund --prefix "$ROOT/.tools" "pnpm@$PNPM_VERSION" >/dev/null
  fi
fi
export PNPM
# turbo looks pnpm up on PATH to run package scripts, so the pinned one must come first.
if [ "$PNPM" != "pnpm" ]; then export PATH="$ROOT/.tools/node_modules/.bin:$PATH"; fi
# Builds stay local and quiet.
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1

# Installs the workspace exactly as the lockfile says.
install_workspace() {
  "$PNPM" install --frozen-lockfile --prefer-offline --reporter=append-only
}
