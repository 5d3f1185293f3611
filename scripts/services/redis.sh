#!/usr/bin/env bash
# Makes sure a Redis server answers at STEM_REDIS_URL (default redis://127.0.0.1:6379)
# before integration tests run: checks it, starts a local one if it is down, and
# otherwise says exactly what is missing. Never stops a running server.
set -euo pipefail
url="${STEM_REDIS_URL:-redis://127.0.0.1:6379}"
hostport="${url#*://}"; hostport="${hostport##*@}"; hostport="${hostport%%/*}"; hostport="${hostport%%\?*}"
host="${hostport%%:*}"; port="${hostport##*:}"; [ "$port" = "$host" ] && port=6379

ping_redis() {
  node -e '
    const socket = require("node:net").connect(Number(process.argv[2]), process.argv[1]);
    socket.setTimeout(1000, () => process.exit(1));
    socket.on("error", () => process.exit(1));
    socket.on("connect", () => socket.write("PING\r\n"));
    socket.on("data", (data) => process.exit(/^\+PONG|^-NOAUTH/.test(String(data)) ? 0 : 1));
  ' "$host" "$port"
}

if ping_redis; then
  echo "stem: Redis is up at $host:$port"
  exit 0
fi
if [ "$host" != "127.0.0.1" ] && [ "$host" != "localhost" ]; then
  echo "stem: Redis does not answer at $host:$port (STEM_REDIS_URL); start it there or unset STEM_REDIS_URL" >&2
  exit 1
fi
if ! command -v redis-server >/dev/null 2>&1; then
  echo "stem: Redis is not running on $host:$port and redis-server is not installed." >&2
  echo "      Install it (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis) and run npm test again." >&2
  exit 1
fi
echo "stem: starting redis-server on $host:$port"
redis-server --daemonize yes --bind 127.0.0.1 --port "$port" --save "" --appendonly no \
  --dir "${TMPDIR:-/tmp}" --logfile "${TMPDIR:-/tmp}/stem-redis-$port.log"
for _ in $(seq 1 50); do
  if ping_redis; then echo "stem: Redis is up at $host:$port"; exit 0; fi
  sleep 0.1
done
echo "stem: redis-server did not answer on $host:$port within 5 s; see ${TMPDIR:-/tmp}/stem-redis-$port.log" >&2
exit 1
