# Sourced by bin/opensase: sets jvm_options, the JVM flags every command runs with.
# Output on stdout is the command's own (stats --json, acl --json are read by programs), so the JVM's
# unified-logging warnings go to stderr instead of its default, stdout.
jvm_options=(-Xlog:disable -Xlog:all=warning:stderr:uptime,level,tags -XX:+UseZGC)

# ZGC backs the heap with shared memory, so huge pages help only where shmem THP is on; asked for where it
# is off, the JVM warns at every start and runs without them anyway.
opensase_shmem_thp() {
    local mode
    mode=$(cat /sys/kernel/mm/transparent_hugepage/shmem_enabled 2>/dev/null) || return 1
    [[ "$mode" =~ \[(always|within_size|advise|force)\] ]]
}
if opensase_shmem_thp; then
    jvm_options+=(-XX:+UseTransparentHugePages)
fi
