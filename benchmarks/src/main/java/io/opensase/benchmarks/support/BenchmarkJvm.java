package io.opensase.benchmarks.support;

/**
 * Options every forked benchmark JVM runs with, as constants so that {@code @Fork(jvmArgsAppend = ...)} can
 * name them.
 */
public final class BenchmarkJvm
{
    /** The parser reads packet memory through FFM; the core's pools allocate off-heap. */
    public static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    /** No outbound analytics from Chronicle libraries, should one ever be on the class path. */
    public static final String NO_CHRONICLE_ANALYTICS = "-Dchronicle.analytics.disable=true";
    /** A fixed heap, so that heap resizing never lands inside a measurement; 4M flows need about 0.6 GB. */
    public static final String HEAP_MIN = "-Xms4g";
    public static final String HEAP_MAX = "-Xmx4g";
    /**
     * Agrona 2.x reaches {@code jdk.internal.misc.Unsafe} (through {@code org.agrona.UnsafeApi}), which fails
     * with {@code IllegalAccessError} unless the package is exported: needed by Agrona's queues only.
     */
    public static final String AGRONA_UNSAFE_EXPORT = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED";

    private BenchmarkJvm()
    {
    }
}
