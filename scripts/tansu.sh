# Sourced: `start_tansu DIR` starts the tansu broker of scripts/kafka-env.sh
# in memory, on a free loopback port, in DIR (tansu reads `.env` from its
# working directory and every parent, so DIR gets an empty one). It sets
# tansu_pid and tansu_bootstrap (HOST:PORT) and returns once the broker
# accepts connections; the caller stops it (kill "$tansu_pid").
start_tansu() {
    local dir=$1 port url
    [[ -x "${TREATY_TANSU_BIN:-}" ]] || { echo "tansu: source scripts/kafka-env.sh first" >&2; return 1; }
    mkdir -p "$dir"
    : >"$dir/.env"
    port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    url="tcp://127.0.0.1:$port"
    (cd "$dir" && exec "$TREATY_TANSU_BIN" broker --listener-url "$url" --advertised-listener-url "$url" \
        --storage-engine memory://tansu/ </dev/null >"$dir/tansu.log" 2>&1) &
    tansu_pid=$!
    tansu_bootstrap="127.0.0.1:$port"
    local tries=0
    until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
        if ! kill -0 "$tansu_pid" 2>/dev/null || ((++tries > 500)); then
            echo "tansu: the broker did not listen on $tansu_bootstrap" >&2
            cat "$dir/tansu.log" >&2
            return 1
        fi
        sleep 0.02
    done
}
