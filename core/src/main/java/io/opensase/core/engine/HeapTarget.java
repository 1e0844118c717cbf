package io.opensase.core.engine;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;

import java.lang.management.ManagementFactory;

/**
 * Asks the garbage collector to keep the heap near the size the engine started with. Compiling a reload's
 * policy (a 10k-rule firewall, or ET Open) makes hundreds of megabytes of garbage within seconds; left to its
 * defaults, ZGC grows the heap into that rather than collecting it (the maximum heap is a quarter of the
 * machine), and gives the memory back only minutes later, so each reload raised the resident memory by
 * 150-300 MiB (measured: 0.78 to 2.0 GiB over six reloads). The JVM's {@code SoftMaxHeapSize}, set here to the
 * committed heap once the engine has loaded its policies and flow tables, plus a margin, makes it collect
 * first; it may still grow past it when the live data need it. An operator's own {@code -XX:SoftMaxHeapSize}
 * is left as it is. Control thread, once per run.
 */
final class HeapTarget
{
    private static final String OPTION = "SoftMaxHeapSize";
    /** Room above the heap at start, for the transient objects of a reload. */
    private static final double MARGIN = 1.1;
    /** What an earlier run in this JVM set (tests run many engines in one), so it is not taken for the operator's. */
    private static volatile String setHere = "";

    private HeapTarget()
    {
    }

    /** Sets the soft target; returns it in bytes, or -1 when the operator set one or the JVM has none. */
    static long holdNearCommitted()
    {
        final HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        final VMOption option;
        try
        {
            option = hotspot.getVMOption(OPTION);
        }
        catch (final IllegalArgumentException ex)
        {
            return -1;
        }
        // The JVM sets it itself (ergonomics: the maximum heap); any other origin is someone's choice, unless
        // it is the value this class set for an earlier run.
        final VMOption.Origin origin = option.getOrigin();
        final boolean ours = VMOption.Origin.DEFAULT == origin || VMOption.Origin.ERGONOMIC == origin
            || setHere.equals(option.getValue());
        if (!ours || !option.isWriteable())
        {
            return -1;
        }
        final long committed = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
        final long target = Math.min(Runtime.getRuntime().maxMemory(), (long)(committed * MARGIN));
        setHere = Long.toString(target);
        hotspot.setVMOption(OPTION, setHere);
        return target;
    }
}
