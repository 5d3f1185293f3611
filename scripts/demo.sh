#!/usr/bin/env bash
# Runs the quickstart on the embedded default (memory://): needs nothing but Node.
source "$(dirname "${BASH_SOURCE[0]}")/lib/toolchain.sh"
install_workspace
"$PNPM" exec turbo run build --filter=@stem/quickstart... --output-logs=errors-only
"$PNPM" --filter @stem/quickstart start
