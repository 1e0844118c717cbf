# Sourced by the bin/ scripts: exports JAVA_HOME pointing at a JDK 25 or newer.
opensase_java_major() {
    "$1" -version 2>&1 | awk -F'"' '/version/ { split($2, v, "."); print v[1]; exit }'
}

opensase_find_jdk() {
    local home
    for home in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*25*; do
        if [[ -n "$home" && -x "$home/bin/javac" ]] && (( $(opensase_java_major "$home/bin/java") >= 25 )); then
            echo "$home"
            return 0
        fi
    done
    echo "opensase: a JDK 25 or newer is needed (looked at \$JAVA_HOME and /usr/lib/jvm); set JAVA_HOME to it" >&2
    return 1
}

JAVA_HOME=$(opensase_find_jdk)
export JAVA_HOME
