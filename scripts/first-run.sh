#!/usr/bin/env bash
# `make run`: start the server on the embedded database in DATA_DIR, listening on LISTEN.
# On an empty database the server itself prints how to create the first super admin.
set -euo pipefail
binary=$1
data_dir=$2
listen=$3
mkdir -p "$data_dir"
echo "Rollcall: data in $data_dir (SQLite), Ctrl-C to stop. Open http://$listen in a browser to log in."
echo "Create a super admin (password on stdin):"
echo "  echo 'a long password' | $binary user create --email admin@example.org --role super_admin --data-dir $data_dir"
# Plain HTTP on localhost: the session cookie cannot be Secure here (set auth.secure_cookies=true behind TLS).
exec "$binary" serve --listen "$listen" --data-dir "$data_dir" --set auth.secure_cookies=false
