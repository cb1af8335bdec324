#!/bin/sh
# Entrypoint of the test MariaDB image: honours the official mariadb image's
# documented MARIADB_ROOT_PASSWORD (and MYSQL_ROOT_PASSWORD) and serves on the
# socket /run/mysqld/mysqld.sock only (the sandbox has no network).
set -eu
pw="${MARIADB_ROOT_PASSWORD:-${MYSQL_ROOT_PASSWORD:-}}"
[ -n "$pw" ] || { echo "MARIADB_ROOT_PASSWORD is required" >&2; exit 1; }
mkdir -p /var/lib/mysql /run/mysqld
chown mysql:mysql /var/lib/mysql /run/mysqld
chmod 0755 /run/mysqld
if [ ! -d /var/lib/mysql/mysql ]; then
  setpriv --reuid=mysql --regid=mysql --init-groups mariadb-install-db --no-defaults --datadir=/var/lib/mysql \
    --auth-root-authentication-method=normal --skip-test-db --skip-name-resolve >/dev/null
fi
# The password goes to the server in an init file, never on a command line.
init=/run/mysqld/init.sql
umask 077
printf "ALTER USER 'root'@'localhost' IDENTIFIED BY '%s';\n" "$(printf '%s' "$pw" | sed "s/'/''/g")" >"$init"
chown mysql:mysql "$init"
unset MARIADB_ROOT_PASSWORD MYSQL_ROOT_PASSWORD pw
exec setpriv --reuid=mysql --regid=mysql --init-groups mariadbd --no-defaults --datadir=/var/lib/mysql \
  --skip-networking --socket=/run/mysqld/mysqld.sock --init-file="$init" --skip-name-resolve --skip-log-bin \
  --innodb-flush-log-at-trx-commit=0 --innodb-doublewrite=0 --max-allowed-packet=1G "$@"
