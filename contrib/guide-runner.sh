#!/usr/bin/env bash
# Runs every ```sh block of a guide (doc/operator-guide.md, doc/developer-guide.md), top to bottom, in
# one bash shell with `set -euo pipefail`, against a throw-away home: the guides' commands run as a
# reader would type them, so they cannot rot (GuideTests runs this for both guides).
#
# What the blocks may rely on:
#   cascoind, cascoin-cli   on PATH (the built programs of this checkout; CONFIGURATION=Release|Debug)
#   $HOME                   a new empty directory: the default data directory ~/.cascoin-l2 is in it,
#                           with a cascoin.conf giving regtest free RPC and P2P ports
#   $REPO                   the checkout's root (for contrib/ files)
#   curl, python3, jq-free  plain Debian tools; no network beyond loopback
# Blocks fenced as ```sh run; every other fence (```text, ```ini, ```json, ```console) is only shown.
# Daemons a guide starts in the background are stopped when it ends, whatever happened.
#
# usage: contrib/guide-runner.sh <guide.md> [rpcport p2pport]
set -uo pipefail
guide=$1
repo=$(cd "$(dirname "$0")/.." && pwd)
configuration=${CONFIGURATION:-Debug}
rpcport=${2:-$((20000 + RANDOM % 20000))}
p2pport=${3:-$((40000 + RANDOM % 20000))}

work=$(mktemp -d)
group=""
cleanup() {
  # Everything the guide started runs in the script's own process group: stop it all.
  if [ -n "$group" ]; then
    kill -TERM -- "-$group" 2>/dev/null && sleep 2
    kill -KILL -- "-$group" 2>/dev/null
  fi
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/bin" "$work/home/.cascoin-l2"
for program in cascoind:Cascoin.L2.Daemon cascoin-cli:Cascoin.L2.Cli; do
  name=${program%%:*}
  dll="$repo/src/${program#*:}/bin/$configuration/net10.0/linux-x64/$name.dll"
  [ -f "$dll" ] || { echo "guide-runner: $dll is not built (dotnet build -c $configuration)" >&2; exit 2; }
  printf '#!/usr/bin/env bash\nexec dotnet %q "$@"\n' "$dll" > "$work/bin/$name"
  chmod +x "$work/bin/$name"
done
printf '[regtest]\nrpcport=%s\nport=%s\n' "$rpcport" "$p2pport" > "$work/home/.cascoin-l2/cascoin.conf"

# The blocks, each preceded by a marker naming its line in the guide, so a failure says where.
awk -v guide="$guide" '
  /^```sh[[:space:]]*$/ { inside = 1; printf "echo \"### %s:%d\" >&2\n", guide, NR; next }
  /^```/ && inside { inside = 0; next }
  inside { print }
' "$guide" > "$work/script.sh"
[ -s "$work/script.sh" ] || { echo "guide-runner: no \`\`\`sh block in $guide" >&2; exit 2; }

cd "$work/home"
HOME="$work/home" REPO="$repo" PATH="$work/bin:$PATH" setsid bash -euo pipefail "$work/script.sh" &
runner=$!
group=$(ps -o pgid= "$runner" | tr -d ' ')
wait "$runner"
status=$?
if [ "$status" -eq 0 ]; then
  echo "guide-runner: every block of $guide ran" >&2
else
  # The daemons' own logs say why a wait timed out; the throw-away home is gone after this.
  find "$work/home" -name debug.log | while read -r log; do
    echo "--- last lines of ${log#"$work/home/"} ---" >&2
    tail -n 25 "$log" >&2
  done
  echo "guide-runner: $guide failed (exit $status) in the block after the last ### line" >&2
fi
exit "$status"
