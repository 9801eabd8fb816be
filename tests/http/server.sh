# Shell functions (POSIX sh) for tests that fetch from testdata/gen/serve, sourced:
#   server_start BINARY ARGS...  starts it in the background; sets server_pid and
#                                server_addr (127.0.0.1:PORT, the line it prints once it
#                                listens); returns 1 if it is not listening within 20 s
#   server_stop                  stops it
# The server also stops by itself after its -lifetime.

server_start() {
	_server_bin=$1
	shift
	_server_out=$(mktemp) || return 1
	"$_server_bin" "$@" >"$_server_out" 2>/dev/null &
	server_pid=$!
	server_addr=
	_server_i=0
	while [ "$_server_i" -lt 200 ]; do
		if [ "$(wc -l <"$_server_out")" -ge 1 ]; then
			server_addr=$(head -n 1 "$_server_out")
			break
		fi
		kill -0 "$server_pid" 2>/dev/null || break
		sleep 0.1
		_server_i=$((_server_i + 1))
	done
	rm -f "$_server_out"
	[ -n "$server_addr" ]
}

server_stop() {
	kill "$server_pid" 2>/dev/null
	wait "$server_pid" 2>/dev/null
	return 0
}

# The words of a string as a sed regular expression that matches them literally.
sed_literal() {
	printf '%s' "$1" | sed 's/[][\.*^$|/]/\\&/g'
}
