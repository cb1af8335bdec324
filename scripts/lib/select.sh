#!/usr/bin/env bash
# Backup selection (issue 14 item 1): the newest file of a directory that matches a
# file-name pattern, listed over SSH without the remote shell ever expanding user input.
# In Jenkins this file follows common.sh and stream.sh in the decrypt job.
#
# Env: BACKUP_PATH (the directory when BACKUP_PATTERN is set), BACKUP_PATTERN (a glob such as
#      shop-*.sql.gz.gpg, or a date template such as shop-%Y-%m-%d.sql.gz.gpg), BACKUP_TIME_ZONE
#      (the schedule's IANA zone for the template's dates, default UTC), MAX_BACKUP_AGE_HOURS
#      (empty = no limit), plus everything ssh_command needs.
#
# Why stdin: ssh joins its arguments into one command line that the remote login shell parses.
# The command line here is fixed text; the directory and the pattern travel on stdin and reach
# find only as the values of "$d" and "$p" (never re-parsed), and both are validated first.

# A file-name pattern: letters, digits, . _ - and the glob characters * ? [ ] plus %Y %m %d %H %M.
# No slash (so no ../), no quote, no $, no backtick, no ;, no space, no newline.
rd_valid_backup_pattern() {
  local re='^[][A-Za-z0-9._*?%-]{1,200}$'
  [[ "$1" =~ $re ]] || return 1
  [[ "$1" != .* ]] || return 1
  # Only the template fields we know; a lone % is refused.
  local rest="${1//%[YmdHM]/}"
  [[ "$rest" != *%* ]]
}

# The selection parameters as the validate step and decrypt check them (the portal's zod rules,
# lib/pipeline/schemas.ts): a pattern, an IANA time zone the agent knows, whole hours 1–8784.
rd_require_selection() {
  local pattern="${1:-}" zone="${2:-}" hours="${3:-}"
  [[ -z "$pattern" ]] || rd_valid_backup_pattern "$pattern" ||
    rd_fail INVALID_BACKUP_PATTERN "backup pattern $(rd_q "$pattern") may hold only letters, digits, . _ - * ? [ ] and %Y %m %d %H %M"
  if [[ -n "$zone" ]]; then
    [[ "$zone" =~ ^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+){0,2}$ && -f "/usr/share/zoneinfo/$zone" ]] ||
      rd_fail INVALID_TIME_ZONE "backup time zone $(rd_q "$zone") is not an IANA time zone such as Europe/Berlin"
  fi
  if [[ -n "$hours" ]]; then
    if ! [[ "$hours" =~ ^[1-9][0-9]{0,3}$ ]] || ((hours > 8784)); then
      rd_fail INVALID_MAX_BACKUP_AGE "maximum backup age $(rd_q "$hours") must be whole hours from 1 to 8784"
    fi
  fi
}

# shop-%Y-%m-%d.sql → the glob shop-[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9].sql
rd_template_glob() {
  local glob="$1" d2='[0-9][0-9]'
  glob="${glob//%Y/$d2$d2}"
  glob="${glob//%m/$d2}"
  glob="${glob//%d/$d2}"
  glob="${glob//%H/$d2}"
  printf '%s' "${glob//%M/$d2}"
}

# shop-%Y-%m-%d.sql → an ERE capturing Y m d H M in template order; prints "regex|fields".
rd_template_regex() {
  local tpl="$1" regex="" fields="" ch i=0
  while ((i < ${#tpl})); do
    ch="${tpl:i:1}"
    if [[ "$ch" == % ]]; then
      case "${tpl:i+1:1}" in
        Y) regex+='([0-9]{4})' ;;
        *) regex+='([0-9]{2})' ;;
      esac
      fields+="${tpl:i+1:1}"
      i=$((i + 2))
      continue
    fi
    case "$ch" in
      '*') regex+='.*' ;;
      '?') regex+='.' ;;
      '.') regex+='\.' ;;
      *) regex+="$ch" ;;
    esac
    i=$((i + 1))
  done
  printf '^%s$|%s' "$regex" "$fields"
}

# The epoch second the template's date in NAME stands for, in BACKUP_TIME_ZONE; empty if none.
rd_template_epoch() {
  local name="$1" spec regex fields Y=1970 m=01 d=01 H=00 M=00 k
  spec=$(rd_template_regex "$BACKUP_PATTERN")
  regex="${spec%|*}"
  fields="${spec##*|}"
  [[ "$name" =~ $regex ]] || return 0
  for ((k = 0; k < ${#fields}; k++)); do
    case "${fields:k:1}" in
      Y) Y="${BASH_REMATCH[k + 1]}" ;; m) m="${BASH_REMATCH[k + 1]}" ;; d) d="${BASH_REMATCH[k + 1]}" ;;
      H) H="${BASH_REMATCH[k + 1]}" ;; M) M="${BASH_REMATCH[k + 1]}" ;;
    esac
  done
  TZ="${BACKUP_TIME_ZONE:-UTC}" date -d "$Y-$m-$d $H:$M" +%s 2>/dev/null || true
}

# A sed program turning "mtime bytes ./name" into "KEY mtime bytes ./name" for names that
# match the template (KEY = the local date YYYYmmddHHMM); other names are dropped.
rd_template_sed() {
  local spec regex fields key="" f pos
  spec=$(rd_template_regex "$BACKUP_PATTERN")
  regex="${spec%|*}"
  regex="${regex#^}"
  regex="${regex%\$}"
  fields="${spec##*|}"
  for f in Y m d H M; do
    pos="${fields%%"$f"*}"
    if [[ "$fields" == *"$f"* ]]; then key+="\\$((${#pos} + 4))"; elif [[ "$f" == Y ]]; then key+=1970; else key+=00; fi
  done
  printf 's#^([0-9.]+) ([0-9]+) (%s)$#%s \\1 \\2 \\3#p' "$regex" "$key"
}

# The fixed remote command: reads the directory and the pattern from stdin.
# shellcheck disable=SC2016 # expanded by the remote shell, as variables only
RD_LIST_COMMAND='IFS= read -r d && IFS= read -r p && cd -- "$d" && exec find . -maxdepth 1 -type f -name "$p" -printf "%T@ %s %f\0"'

# Lists the matches of glob $3 in directory $2 (NUL-separated "mtime bytes name") into $1;
# a directory that cannot be listed fails with code $4 (BACKUP_MISSING, or FILE_MISSING for an exact file).
rd_list_backups() {
  local out="$1" dir="$2" glob="$3" code="${4:-BACKUP_MISSING}" err="$RD_WORK/list.err" rc=0
  ssh_command
  SSH_ARGV[${#SSH_ARGV[@]} - 1]="$RD_LIST_COMMAND"
  printf '%s\n%s\n' "$dir" "$glob" | "${SSH_ARGV[@]}" >"$out" 2>"$err" || rc=$?
  if ((rc != 0)); then
    ((rc == 255)) && rd_fetch_fail "$rc" "$err"
    sed 's/^/[ssh] /' "$err" >&2 || true
    rd_fail "$code" "could not list $dir on $BACKUP_HOST for $(rd_q "$glob"): $(tr '\n' ' ' <"$err" | cut -c1-200)"
  fi
}

# Picks the backup to test; sets BACKUP_PATH to it and writes RD_WORK/selection.json.
# With BACKUP_PATTERN: the newest match in the directory BACKUP_PATH. Without one but with
# MAX_BACKUP_AGE_HOURS (or RD_SELECT_EXACT, the connection check): the exact file, listed the same way for its modification time (its
# name has no glob character: paths are letters, digits and ._/@+,=:~- only).
rd_select_backup() {
  local pattern="${BACKUP_PATTERN:-}" dir glob
  rd_require_selection "$pattern" "${BACKUP_TIME_ZONE:-}" "${MAX_BACKUP_AGE_HOURS:-}"
  if [[ -n "$pattern" ]]; then
    dir="${BACKUP_PATH%/}"
    glob="$pattern"
    [[ "$glob" != *%* ]] || glob=$(rd_template_glob "$glob")
  elif [[ -n "${MAX_BACKUP_AGE_HOURS:-}" || -n "${RD_SELECT_EXACT:-}" ]]; then
    dir=$(dirname -- "$BACKUP_PATH")
    glob=$(basename -- "$BACKUP_PATH")
  else
    return 0
  fi
  local list="$RD_WORK/list" ranked="$RD_WORK/ranked" mtime bytes file count best
  rd_list_backups "$list" "$dir" "$glob" "$([[ -n "$pattern" ]] && echo BACKUP_MISSING || echo FILE_MISSING)"
  # One sort over all matches (no per-file loop: 10,000 files stay well under a second).
  if [[ "$pattern" == *%* ]]; then
    # "KEY mtime bytes name" where KEY is the template's local date as YYYYmmddHHMM.
    sed -z -E -n "$(rd_template_sed)" "$list" >"$ranked"
  else
    cp -- "$list" "$ranked"
  fi
  count=$(tr -cd '\0' <"$ranked" | wc -c)
  if ((count == 0)); then
    [[ -n "$pattern" ]] || rd_fail FILE_MISSING "$BACKUP_PATH does not exist on $BACKUP_HOST (or is not a regular file)"
    rd_fail BACKUP_MISSING "no file in $dir on $BACKUP_HOST matches $(rd_q "$pattern")"
  fi
  sort -z -r -s -k1,1 -n -o "$ranked" -- "$ranked"
  best=$(head -z -n 1 -- "$ranked" | tr -d '\0')
  [[ "$pattern" != *%* ]] || best="${best#* }"
  read -r mtime bytes file <<<"$best"
  file="${file#./}"
  local age limit="${MAX_BACKUP_AGE_HOURS:-}" stale=false name_date=""
  # The date in the chosen name, read in the schedule's time zone (BACKUP_TIME_ZONE).
  [[ "$pattern" != *%* ]] || name_date=$(rd_template_epoch "$file")
  age=$(($(date +%s) - ${mtime%.*}))
  if [[ -n "$limit" ]] && ((age > limit * 3600)); then stale=true; fi
  jq -n -c --arg dir "$dir" --arg pattern "$pattern" --arg file "$dir/$file" --argjson mtime "${mtime%.*}" \
    --argjson bytes "$bytes" --argjson matches "$count" --argjson age "$age" --arg limit "$limit" --argjson stale "$stale" \
    --arg nameDate "$name_date" '{directory: $dir, pattern: (if $pattern == "" then null else $pattern end), file: $file,
      mtime: ($mtime | todate), bytes: $bytes, matches: $matches,
      ageSeconds: $age, maxAgeHours: (if $limit == "" then null else ($limit | tonumber) end), stale: $stale,
      nameDate: (if $nameDate == "" then null else ($nameDate | tonumber | todate) end)}' |
    rd_put "$RD_WORK/selection.json"
  BACKUP_PATH="$dir/$file"
  rd_log "selected $BACKUP_PATH ($count matching, modified $(date -u -d "@${mtime%.*}" +%FT%TZ), $bytes bytes)"
  [[ "$stale" == false ]] ||
    rd_log "warning: $BACKUP_PATH is $((age / 3600)) h old, over the limit of $limit h (BACKUP_STALE); it is restored all the same"
}
