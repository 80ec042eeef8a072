#!/usr/bin/env bash
# Runs inside a private network namespace: the origin on :9150, then the bench of the before
# (:9151) and after (:9152, admin on :9153, never scraped) builds on keepalive-hello.
set -euo pipefail
ip link set lo up
sysctl -qw net.ipv4.tcp_fastopen=3 net.mptcp.enabled=1
FLAGS="--enable-native-access=ALL-UNNAMED -Dio.netty.leakDetection.level=disabled -XX:+UseParallelGC"
# the checkout the two builds were made in, and its JDK
W=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
J=$("$W/bin/synedge" java-home)/bin/java
export SYNEDGE_LOG_DIR=/tmp/metrics-bench/logs
$J --enable-native-access=ALL-UNNAMED -cp "$W/loadtest/origin/target/synedge-origin.jar:$W/loadtest/origin/target/lib/*" \
  dev.synedge.origin.OriginMain --port 9150 --event-loops 1 --fastopen 4096 > /tmp/metrics-bench/origin.log 2>&1 &
origin=$!
trap 'kill $origin' EXIT
until grep -q listening /tmp/metrics-bench/origin.log; do sleep 0.2; done
cd $W
bin/synedge bench loadtest/scenarios/keepalive-hello.conf \
  before=http://127.0.0.1:9151 after=http://127.0.0.1:9152 \
  --start before="$J $FLAGS -cp '/tmp/synedge-metrics-before/synedge-proxy-server.jar:/tmp/synedge-metrics-before/lib/*' dev.synedge.cli.SynedgeCommand run /tmp/metrics-bench/before.conf" \
  --start after="$J $FLAGS -cp '/tmp/synedge-metrics-after/synedge-proxy-server.jar:/tmp/synedge-metrics-after/lib/*' dev.synedge.cli.SynedgeCommand run /tmp/metrics-bench/after.conf" \
  --rounds "${ROUNDS:-8}" ${EXTRA:-} --no-plots --out /tmp/metrics-bench/out
