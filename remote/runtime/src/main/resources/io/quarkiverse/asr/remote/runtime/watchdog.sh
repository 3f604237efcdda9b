# Runs whisper-server ("$@") and kills it when this script's standard input closes: the JVM holds the other end of
# that pipe, and the kernel closes it however the JVM ends, kill -9 included. Exits with the server's status.
exec 3<&0
"$@" </dev/null &
server=$!
# an asynchronous list reads /dev/null unless redirected: the watchdog reads the JVM's pipe through fd 3
{ cat <&3 >/dev/null; kill -KILL "$server" 2>/dev/null; } &
watchdog=$!
exec 3<&-
wait "$server"
status=$?
kill "$watchdog" 2>/dev/null
exit "$status"
