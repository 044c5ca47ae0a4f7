#!/bin/sh
# Runs a build step with its output in a log file instead of Maven's console (`mvn -q` stays
# quiet); if the step fails, prints the log's last lines and where the whole log is.
# Usage: logged.sh LOG COMMAND [ARG...]
log="$1"
shift
mkdir -p "$(dirname "$log")"
if "$@" > "$log" 2>&1; then
    exit 0
else
    status=$?
    tail -n 60 "$log" >&2
    echo "error: '$*' failed (exit $status); its whole output is in $log" >&2
    exit "$status"
fi
