#!/usr/bin/env bash
# Runs the benchmarks (bench/): peers side by side in one run, printing ratios.
source "$(dirname "${BASH_SOURCE[0]}")/lib/toolchain.sh"
install_workspace
"$PNPM" exec turbo run build --filter=@stem/bench... --output-logs=errors-only
bash scripts/services/ensure-all.sh
"$PNPM" --filter @stem/bench start "$@"
