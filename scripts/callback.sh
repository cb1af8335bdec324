#!/usr/bin/env bash
# Pipeline step "callback": POST restore-report.json to the portal.
#
# Env: REPORT_DIR, CALLBACK_URL (empty = no portal, nothing to do),
#      CALLBACK_SECRET (bound from the "secret text" credential
#      restore-drill-callback). Headers: X-Restore-Drill-Timestamp (unix
#      seconds) and X-Restore-Drill-Signature: sha256=HMAC-SHA256(secret,
#      "<timestamp>.<body>"). A failed callback is a warning, never a failure.
if ! declare -F rd_fail >/dev/null; then
  # shellcheck source=lib/common.sh
  source "$(dirname -- "${BASH_SOURCE[0]}")/lib/common.sh"
fi

CALLBACK_TMP=""
callback_cleanup() { [[ -z "$CALLBACK_TMP" ]] || rm -rf -- "$CALLBACK_TMP"; }

# HMAC-SHA256 (RFC 2104) with bash builtins and sha256sum, so the secret never
# appears in any process's argv (openssl -hmac would put it there).
hmac_sha256_hex() {
  local key="$1" message_file="$2" key_hex ipad="" opad="" i byte inner
  key_hex=$(printf '%s' "$key" | od -An -v -tx1 | tr -d ' \n')
  if ((${#key_hex} > 128)); then key_hex=$(printf '%s' "$key" | sha256sum | cut -c1-64); fi
  while ((${#key_hex} < 128)); do key_hex+=00; done
  for ((i = 0; i < 128; i += 2)); do
    byte=$((16#${key_hex:i:2}))
    printf -v ipad '%s\\x%02x' "$ipad" $((byte ^ 0x36))
    printf -v opad '%s\\x%02x' "$opad" $((byte ^ 0x5c))
  done
  inner=$({ printf '%b' "$ipad"; cat -- "$message_file"; } | sha256sum | cut -c1-64)
  # shellcheck disable=SC2001 # sed turns each hex pair into a \xHH escape
  { printf '%b' "$opad"; printf '%b' "$(sed 's/../\\x&/g' <<<"$inner")"; } | sha256sum | cut -c1-64
}

main() {
  trap callback_cleanup EXIT
  local url="${CALLBACK_URL:-}" dir report
  if [[ -z "$url" ]]; then
    rd_log "no CALLBACK_URL: not notifying a portal"
    return 0
  fi
  if ! rd_valid_callback_url "$url"; then
    rd_log "WARNING: callback URL $(rd_q "$url") is not a plain http(s) URL; not calling it"
    return 0
  fi
  dir=$(rd_report_dir) || { rd_log "WARNING: REPORT_DIR is unusable; no callback"; return 0; }
  report="$dir/restore-report.json"
  if [[ ! -s "$report" ]]; then
    rd_log "WARNING: $report is missing; no callback"
    return 0
  fi
  if [[ -z "${CALLBACK_SECRET:-}" ]]; then
    rd_log "WARNING: CALLBACK_SECRET is not bound (credential restore-drill-callback); not sending an unsigned callback"
    return 0
  fi
  CALLBACK_TMP=$(mktemp -d)
  local ts sig
  ts=$(date +%s)
  { printf '%s.' "$ts"; cat -- "$report"; } >"$CALLBACK_TMP/signed"
  sig=$(hmac_sha256_hex "$CALLBACK_SECRET" "$CALLBACK_TMP/signed")
  if curl --silent --show-error --fail --max-time 20 --proto =http,https -X POST \
    -H 'Content-Type: application/json' -H "X-Restore-Drill-Timestamp: $ts" \
    -H "X-Restore-Drill-Signature: sha256=$sig" --data-binary "@$report" "$url" >/dev/null 2>"$CALLBACK_TMP/curl.err"; then
    rd_log "callback delivered to $url"
  else
    rd_log "WARNING: callback to $url failed: $(head -c 300 "$CALLBACK_TMP/curl.err"); the build result is unchanged"
  fi
  return 0
}

main "$@"
