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

    /*
     * What Chronicle Map needs opened in java.base on Java 25: the parent pom's opensase.chronicle.jvm, one
     * argument per constant so that @Fork(jvmArgsAppend = ...) can list them (keep the two lists the same).
     */
    public static final String CHRONICLE_OPEN_LANG = "--add-opens=java.base/java.lang=ALL-UNNAMED";
    public static final String CHRONICLE_OPEN_REFLECT = "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED";
    public static final String CHRONICLE_OPEN_IO = "--add-opens=java.base/java.io=ALL-UNNAMED";
    public static final String CHRONICLE_OPEN_NIO = "--add-opens=java.base/java.nio=ALL-UNNAMED";
    public static final String CHRONICLE_OPEN_NIO_CH = "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED";
    public static final String CHRONICLE_OPEN_MISC = "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED";
    public static final String CHRONICLE_OPEN_UTIL = "--add-opens=java.base/java.util=ALL-UNNAMED";
    public static final String CHRONICLE_EXPORT_REF = "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED";
    public static final String CHRONICLE_EXPORT_NIO_CH = "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED";
    public static final String CHRONICLE_EXPORT_UTIL = "--add-exports=java.base/jdk.internal.util=ALL-UNNAMED";
    public static final String CHRONICLE_EXPORT_SUN_MISC = "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED";
    public static final String CHRONICLE_EXPORT_JAVAC_FILE =
        "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED";
    public static final String CHRONICLE_OPEN_JAVAC = "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED";

    private BenchmarkJvm()
    {
    }
}
