#!/usr/bin/env bash
# The whole test suite: installs, builds, typechecks (type tests run there), checks the
# servers the integration tests need, then runs every vitest test once, no retries.
source "$(dirname "${BASH_SOURCE[0]}")/lib/toolchain.sh"
install_workspace
"$PNPM" exec turbo run build --output-logs=errors-only
"$PNPM" exec turbo run typecheck --output-logs=errors-only
bash scripts/services/ensure-all.sh
REPORT="$ROOT/.vitest-report.json"
rm -f "$REPORT"
status=0
"$PNPM" exec vitest run --reporter=default --reporter=json --outputFile.json="$REPORT" "$@" || status=$?
node scripts/lib/summarize-tests.mjs "$REPORT" || status=1
exit "$status"
