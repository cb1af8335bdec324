#!/usr/bin/env bash
# Connects this container as the Jenkins agent $JENKINS_AGENT_NAME. Its secret is derived by
# Jenkins from the agent's name, so it is fetched at start (as restore-drill-agent, which may
# only connect agents) instead of being written into the env file.
set -euo pipefail

: "${JENKINS_URL:?JENKINS_URL must be set}"
: "${JENKINS_AGENT_NAME:?JENKINS_AGENT_NAME must be set}"
: "${RESTORE_DRILL_AGENT_API_TOKEN:?RESTORE_DRILL_AGENT_API_TOKEN must be set (deploy/.env)}"

netrc="$(mktemp)"
trap 'rm -f -- "$netrc"' EXIT
chmod 600 "$netrc"
host="$(printf '%s' "$JENKINS_URL" | sed -E 's#^[a-z]+://([^/:]+).*#\1#')"
printf 'machine %s login restore-drill-agent password %s\n' "$host" "$RESTORE_DRILL_AGENT_API_TOKEN" >"$netrc"

jnlp="$(curl -fsS --retry 30 --retry-delay 5 --retry-all-errors --netrc-file "$netrc" \
  "${JENKINS_URL%/}/computer/${JENKINS_AGENT_NAME}/jenkins-agent.jnlp")"
secret="$(printf '%s' "$jnlp" | sed -n 's#.*<argument>\([0-9a-f]\{64\}\)</argument>.*#\1#p' | head -n 1)"
if [[ -z "$secret" ]]; then
  echo "restore-drill-agent: no agent secret in ${JENKINS_URL%/}/computer/${JENKINS_AGENT_NAME}/jenkins-agent.jnlp" >&2
  exit 1
fi
rm -f -- "$netrc"
trap - EXIT
export JENKINS_SECRET="$secret"
unset RESTORE_DRILL_AGENT_API_TOKEN
exec /usr/local/bin/jenkins-agent
