#!/usr/bin/env bash
# Checks, and starts where it can, every server the workspace's integration tests use.
# Each adapter package lists its servers in package.json under "stem.testServices";
# this script runs scripts/services/<name>.sh for each. With none listed, it says so.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
services="$(node -e '
  const fs = require("node:fs"); const path = require("node:path");
  const found = new Set();
  for (const dir of ["packages", "packages/adapters", "apps"]) {
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir)) {
      const file = path.join(dir, name, "package.json");
      if (!fs.existsSync(file)) continue;
      for (const service of JSON.parse(fs.readFileSync(file, "utf8")).stem?.testServices ?? []) found.add(service);
    }
  }
  console.log([...found].sort().join(" "));
')"
if [ -z "$services" ]; then
  echo "stem: no integration test needs a server yet (only the embedded in-memory adapters are tested)"
  exit 0
fi
for service in $services; do
  script="scripts/services/$service.sh"
  if [ ! -f "$script" ]; then
    echo "stem: a package needs the test service '$service' but $script does not exist" >&2
    exit 1
  fi
  bash "$script"
done
