#!/usr/bin/env bash
# `pnpm chaos`: the Redis ledger run at full size, outside CI. 100,000 tasks through three
# worker processes on a private redis-server (AOF, appendfsync everysec), five worker
# SIGKILLs, a kill -9 of redis-server and a restart; prints the checker's verdict and the
# throughput recovery. Settings (environment):
#   STEM_CHAOS_TASKS        tasks to run               (default 100000)
#   STEM_CHAOS_CONCURRENCY  tasks at once per worker   (default 20)
#   STEM_CHAOS_APPENDFSYNC  always | everysec          (default everysec)
#   STEM_TEST_SEED          replay a run's fault schedule
# Extra arguments go to vitest.
source "$(dirname "${BASH_SOURCE[0]}")/lib/toolchain.sh"
install_workspace
if ! command -v redis-server >/dev/null 2>&1; then
  echo "stem: pnpm chaos starts its own redis-server, which is not installed" >&2
  echo "      (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis)" >&2
  exit 1
fi
export STEM_CHAOS_TASKS="${STEM_CHAOS_TASKS:-100000}"
export STEM_CHAOS_CONCURRENCY="${STEM_CHAOS_CONCURRENCY:-20}"
export STEM_CHAOS_APPENDFSYNC="${STEM_CHAOS_APPENDFSYNC:-everysec}"
echo "stem chaos: ${STEM_CHAOS_TASKS} tasks, concurrency ${STEM_CHAOS_CONCURRENCY} per worker, appendfsync ${STEM_CHAOS_APPENDFSYNC}"
"$PNPM" exec vitest run packages/adapters/redis/test/redis-ledger-run-survives-kills.test.ts \
  --testNamePattern 'loses nothing' "$@"
