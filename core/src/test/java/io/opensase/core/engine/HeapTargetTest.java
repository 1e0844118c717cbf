package io.opensase.core.engine;

import com.sun.management.HotSpotDiagnosticMXBean;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The soft heap target the engine sets at start, read back from the JVM (and put back afterwards). */
class HeapTargetTest
{
    @Test
    void softTargetIsTheCommittedHeapWithRoomAndReadsBack()
    {
        final HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        final String before = hotspot.getVMOption("SoftMaxHeapSize").getValue();
        try
        {
            final long committedBefore = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
            final long target = HeapTarget.holdNearCommitted();
            assertEquals(Long.toString(target), hotspot.getVMOption("SoftMaxHeapSize").getValue());
            assertTrue(target <= Runtime.getRuntime().maxMemory(), target + " within the maximum heap");
            assertTrue(target >= Math.min(committedBefore, Runtime.getRuntime().maxMemory()),
                target + " at least the heap committed before, " + committedBefore);

            final long again = HeapTarget.holdNearCommitted();
            assertTrue(again > 0, "a target an earlier run set is not taken for the operator's");

            final String chosen = Long.toString(Runtime.getRuntime().maxMemory() / 2 + 1);
            hotspot.setVMOption("SoftMaxHeapSize", chosen);
            assertEquals(-1, HeapTarget.holdNearCommitted(), "a value someone chose is kept");
            assertEquals(chosen, hotspot.getVMOption("SoftMaxHeapSize").getValue());
        }
        finally
        {
            hotspot.setVMOption("SoftMaxHeapSize", before);
        }
    }
}
