#!/usr/bin/env bash
# bench-peers.sh -- whole-process throughput of lurescreen, rspamd and SpamAssassin on the same
# generated corpus (benches/support/corpus.rs: plain, HTML, PDF and ZIP attachments, lures),
# all offline, printed side by side. The peers are optional: a missing one is reported and
# skipped (apt-get install rspamd spamassassin spamc).
#
#   scripts/bench-peers.sh [WORKDIR]        (default /tmp/lurescreen-peers; CORPUS_MB=30)
#
# rspamd: its own config overlay in WORKDIR, network modules off, DNS pointed at a closed local
#   port so every look-up fails at once; one normal worker per core; fed with `rspamc -n CORES`.
# SpamAssassin: `spamd -L` (local tests only), one child per core; fed with `spamc` through
#   `xargs -P CORES`.
# Ports 11433/11434 (rspamd) and 7930 (spamd) on 127.0.0.1; everything is stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
W=${1:-/tmp/lurescreen-peers}
CORES=$(nproc)
MB=${CORPUS_MB:-30}
mkdir -p "$W"

if [ ! -d "$W/corpus/eml" ]; then
  BATCH_CORPUS_OUT="$W/corpus" BATCH_CORPUS_MB="$MB" BATCH_MBOX_MB="$MB" \
    cargo bench --quiet --bench batch >/dev/null
fi
EML="$W/corpus/eml"
N=$(find "$EML" -type f | wc -l)
BYTES=$(du -sb "$EML" | cut -f1)
cargo build --quiet --release
BIN=target/release/lurescreen

declare -a ROWS
# row NAME SECONDS
row() {
  ROWS+=("$(awk -v n="$1" -v s="$2" -v m="$N" -v b="$BYTES" \
    'BEGIN { printf "%-44s %8.2f s %9.1f msgs/s %7.2f MB/s", n, s, m / s, b / 1e6 / s }')")
}
# seconds CMD... : wall time of a command, output discarded
seconds() {
  local t0 t1
  t0=$(date +%s.%N)
  "$@" >/dev/null 2>&1 || true
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }'
}

echo "corpus: $N messages, $((BYTES / 1000000)) MB in $EML; $CORES cores; load $(cut -d' ' -f1-3 /proc/loadavg)"

row "lurescreen scan, 1 job" "$(seconds "$BIN" scan --jobs 1 --format summary "$EML")"
row "lurescreen scan, $CORES jobs" "$(seconds "$BIN" scan --jobs "$CORES" --format summary "$EML")"
row "lurescreen scan, $CORES jobs, mbox" "$(seconds "$BIN" scan --format summary "$W/corpus/corpus.mbox")"

# ---------------------------------------------------------------------------------------------
# rspamd
# ---------------------------------------------------------------------------------------------
RS="$W/rspamd"
rspamd_stop() {
  if [ -f "$RS/run/rspamd.pid" ]; then
    kill "$(cat "$RS/run/rspamd.pid")" 2>/dev/null || true
    rm -f "$RS/run/rspamd.pid"
    sleep 1
  fi
}
if command -v rspamd >/dev/null && command -v rspamc >/dev/null; then
  mkdir -p "$RS/conf/local.d" "$RS/conf/override.d" "$RS/db" "$RS/run" "$RS/log"
  chown -R _rspamd:_rspamd "$RS/db" "$RS/run" "$RS/log" 2>/dev/null || true
  # A DNS stub on 127.0.0.1:5399 that answers NXDOMAIN to everything: no look-up leaves the host
  # and none waits for a time-out.
  cat >"$RS/nxdomain.py" <<'EOF'
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 5399))
while True:
    q, addr = s.recvfrom(4096)
    if len(q) < 12:
        continue
    i = 12
    while i < len(q) and q[i] != 0:
        i += q[i] + 1
    question = q[12:i + 5]
    flags = bytes([0x80 | (q[2] & 0x01), 0x83])  # QR, RD copied, RA, NXDOMAIN
    s.sendto(q[:2] + flags + q[4:6] + bytes(6) + question, addr)
EOF
  python3 "$RS/nxdomain.py" </dev/null >/dev/null 2>&1 &
  DNS_PID=$!
  cat >"$RS/conf/override.d/options.inc" <<'EOF'
dns { nameserver = ["127.0.0.1:5399"]; timeout = 1s; retransmits = 1; }
EOF
  cat >"$RS/conf/override.d/logging.inc" <<EOF
type = "file"; filename = "$RS/log/rspamd.log"; level = "error";
EOF
  echo "bind_socket = \"127.0.0.1:11433\"; count = $CORES;" >"$RS/conf/override.d/worker-normal.inc"
  echo 'bind_socket = "127.0.0.1:11434"; password = "bench";' >"$RS/conf/override.d/worker-controller.inc"
  echo 'enabled = false;' >"$RS/conf/override.d/worker-proxy.inc"
  for m in asn dcc dkim dmarc arc emails external_services fuzzy_check mx_check neural rbl \
           replies reputation rspamd_update spf surbl url_redirector whitelist; do
    echo "enabled = false;" >"$RS/conf/local.d/$m.conf"
  done
  echo 'phishtank_enabled = false; openphish_enabled = false;' >"$RS/conf/local.d/phishing.conf"
  VARS=(--var="LOCAL_CONFDIR=$RS/conf" --var="DBDIR=$RS/db" --var="RUNDIR=$RS/run" --var="LOGDIR=$RS/log")
  rspamd_stop
  rspamd -f -u _rspamd -g _rspamd "${VARS[@]}" </dev/null >"$RS/log/start.log" 2>&1 &
  echo $! >"$RS/run/rspamd.pid"
  ready=""
  for _ in $(seq 240); do
    if rspamc -h 127.0.0.1:11433 -t 5 <"$EML/000000.eml" >/dev/null 2>&1; then ready=1; break; fi
    sleep 0.5
  done
  if [ -n "$ready" ]; then
    row "rspamd $(rspamd --version | grep -o '[0-9][0-9.]*' | head -1), rspamc -n $CORES" \
      "$(seconds sh -c "rspamc -h 127.0.0.1:11433 -t 60 -n $CORES '$EML'/* >'$RS/results.txt'")"
    echo "rspamd: $(grep -c '^Action' "$RS/results.txt" || true) of $N messages got an action"
  else
    echo "rspamd did not start: see $RS/log"
  fi
  rspamd_stop
  kill "$DNS_PID" 2>/dev/null || true
else
  echo "rspamd not installed: skipped (apt-get install rspamd)"
fi

# ---------------------------------------------------------------------------------------------
# SpamAssassin
# ---------------------------------------------------------------------------------------------
SA="$W/sa"
if command -v spamd >/dev/null && command -v spamc >/dev/null; then
  mkdir -p "$SA/home"
  chown nobody:nogroup "$SA/home" 2>/dev/null || true
  spamd -d -L -x -u nobody -H "$SA/home" --listen=127.0.0.1:7930 --allowed-ips=127.0.0.1 \
    -m "$CORES" --min-children="$CORES" --pidfile="$SA/spamd.pid" -s "$SA/spamd.log"
  for _ in $(seq 120); do spamc -d 127.0.0.1 -p 7930 -K >/dev/null 2>&1 && break; sleep 0.5; done
  row "SpamAssassin $(spamd --version | grep -o '[0-9][0-9.]*' | head -1) spamd -L, spamc x $CORES" \
    "$(seconds sh -c "find '$EML' -type f -print0 | xargs -0 -P $CORES -n 1 sh -c 'spamc -d 127.0.0.1 -p 7930 -c < \"\$0\"; echo' >'$SA/results.txt'")"
  echo "SpamAssassin: $(grep -c '/' "$SA/results.txt" || true) of $N messages got a score"
  [ -f "$SA/spamd.pid" ] && kill "$(cat "$SA/spamd.pid")" 2>/dev/null || true
else
  echo "SpamAssassin not installed: skipped (apt-get install spamassassin spamc)"
fi

printf '%s\n' "${ROWS[@]}"
