# scripts/lib.sh — shared by scripts/run, scripts/test, scripts/bench and
# scripts/fuzz:
# install what is missing (Debian packages, npm packages) and build.
# Sourced, not run.

EXAMD_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Packages needed to build and serve.
# libwebsockets-evlib-uv: the libuv event loop examd runs on by default.
# libutf8proc-dev: Unicode NFC and search folding; libexpat1-dev: Moodle XML;
# libqrencode-dev: the QR codes on credential slips.
EXAMD_BUILD_PKGS="build-essential cmake pkg-config libwebsockets-dev libwebsockets-evlib-uv libsqlite3-dev libjansson-dev libsodium-dev libutf8proc-dev libexpat1-dev libqrencode-dev libxlsxwriter-dev"
# Packages needed only by the tests.
EXAMD_TEST_PKGS="nodejs chromium sqlite3 python3-openpyxl poppler-utils"
# Packages needed only by scripts/fuzz: clang and its libFuzzer runtime.
EXAMD_FUZZ_PKGS="clang libclang-rt-dev"

examd_sudo() {
    if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# Install the Debian packages named in "$@" that are not installed yet.
examd_ensure_pkgs() {
    local missing=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
    done
    # npm ships with nodesource's nodejs; Debian's splits it out.
    if [[ " $* " == *" nodejs "* ]] && ! command -v npm >/dev/null 2>&1; then
        missing+=(npm)
    fi
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "examd: installing ${missing[*]}"
    examd_sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive examd_sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# Configure and build into build dir $1 with extra cmake args.
examd_build() {
    local dir="$1"; shift
    cmake -S "$EXAMD_ROOT" -B "$EXAMD_ROOT/$dir" "$@" >/dev/null
    cmake --build "$EXAMD_ROOT/$dir" -j"$(nproc)"
}

# npm packages of the test suite (ws, playwright-core), from the lock file.
examd_ensure_npm() {
    if [ ! -d "$EXAMD_ROOT/tests/node_modules/ws" ] || [ ! -d "$EXAMD_ROOT/tests/node_modules/playwright-core" ]; then
        (cd "$EXAMD_ROOT/tests" && npm ci --no-audit --no-fund --loglevel=error)
    fi
}
