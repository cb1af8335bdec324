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

# Lists the matches (NUL-separated "mtime bytes name") into $1; fails BACKUP_MISSING etc.
rd_list_backups() {
  local out="$1" err="$RD_WORK/list.err" glob="$BACKUP_PATTERN" rc=0
  [[ "$glob" != *%* ]] || glob=$(rd_template_glob "$glob")
  ssh_command
  SSH_ARGV[${#SSH_ARGV[@]} - 1]="$RD_LIST_COMMAND"
  printf '%s\n%s\n' "$BACKUP_PATH" "$glob" | "${SSH_ARGV[@]}" >"$out" 2>"$err" || rc=$?
  if ((rc != 0)); then
    ((rc == 255)) && rd_fetch_fail "$rc" "$err"
    sed 's/^/[ssh] /' "$err" >&2 || true
    rd_fail BACKUP_MISSING "could not list $BACKUP_PATH on $BACKUP_HOST for $(rd_q "$BACKUP_PATTERN"): $(tr '\n' ' ' <"$err" | cut -c1-200)"
  fi
}

# Picks the newest match; sets BACKUP_PATH to it and writes RD_WORK/selection.json.
rd_select_backup() {
  [[ -n "${BACKUP_PATTERN:-}" ]] || return 0
  rd_valid_backup_pattern "$BACKUP_PATTERN" ||
    rd_fail INVALID_BACKUP_PATTERN "backup pattern $(rd_q "$BACKUP_PATTERN") may hold only letters, digits, . _ - * ? [ ] and %Y %m %d %H %M"
  local list="$RD_WORK/list" ranked="$RD_WORK/ranked" mtime bytes file count best
  rd_list_backups "$list"
  # One sort over all matches (no per-file loop: 10,000 files stay well under a second).
  if [[ "$BACKUP_PATTERN" == *%* ]]; then
    # "KEY mtime bytes name" where KEY is the template's local date as YYYYmmddHHMM.
    sed -z -E -n "$(rd_template_sed)" "$list" >"$ranked"
  else
    cp -- "$list" "$ranked"
  fi
  count=$(tr -cd '\0' <"$ranked" | wc -c)
  ((count > 0)) || rd_fail BACKUP_MISSING "no file in $BACKUP_PATH on $BACKUP_HOST matches $(rd_q "$BACKUP_PATTERN")"
  sort -z -r -s -k1,1 -n -o "$ranked" -- "$ranked"
  best=$(head -z -n 1 -- "$ranked" | tr -d '\0')
  [[ "$BACKUP_PATTERN" != *%* ]] || best="${best#* }"
  read -r mtime bytes file <<<"$best"
  file="${file#./}"
  local dir="${BACKUP_PATH%/}" age limit="${MAX_BACKUP_AGE_HOURS:-}" stale=false name_date=""
  # The date in the chosen name, read in the schedule's time zone (BACKUP_TIME_ZONE).
  [[ "$BACKUP_PATTERN" != *%* ]] || name_date=$(rd_template_epoch "$file")
  age=$(($(date +%s) - ${mtime%.*}))
  if [[ -n "$limit" ]]; then
    [[ "$limit" =~ ^[0-9]{1,6}$ ]] || rd_fail INVALID_MAX_BACKUP_AGE "MAX_BACKUP_AGE_HOURS must be a whole number of hours"
    ((age <= limit * 3600)) || stale=true
  fi
  jq -n -c --arg dir "$dir" --arg pattern "$BACKUP_PATTERN" --arg file "$dir/$file" --argjson mtime "${mtime%.*}" \
    --argjson bytes "$bytes" --argjson matches "$count" --argjson age "$age" --arg limit "$limit" --argjson stale "$stale" \
    --arg nameDate "$name_date" '{directory: $dir, pattern: $pattern, file: $file, mtime: ($mtime | todate), bytes: $bytes, matches: $matches,
      ageSeconds: $age, maxAgeHours: (if $limit == "" then null else ($limit | tonumber) end), stale: $stale,
      nameDate: (if $nameDate == "" then null else ($nameDate | tonumber | todate) end)}' |
    rd_put "$RD_WORK/selection.json"
  BACKUP_PATH="$dir/$file"
  rd_log "selected $BACKUP_PATH ($count matching, modified $(date -u -d "@${mtime%.*}" +%FT%TZ), $bytes bytes)"
}
