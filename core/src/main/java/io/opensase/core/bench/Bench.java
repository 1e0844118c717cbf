package io.opensase.core.bench;

import io.opensase.core.report.JsonWriter;

import java.io.IOException;
import java.util.Locale;

/**
 * {@code opensase bench}: the engine and {@code dpdk-testpmd} on the same devices and capture, one after the
 * other in one invocation, so that their rates are compared on the same machine at the same time.
 */
public final class Bench
{
    private Bench()
    {
    }

    /** Both rates, and what the engine's worker did during its measured interval. */
    public record Result(BenchSettings settings, double engineMpps, double testpmdMpps, long gcCollections,
        long allocatedBytes, long flowsResident, double newFlowShare)
    {
        public double ratio()
        {
            return engineMpps / testpmdMpps;
        }

        public String summary()
        {
            final StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
                "opensase bench: %s (%d packets), mode %s, %d s measured after %d s warm-up, burst 32%n",
                settings.capture(), settings.capturePackets(), settings.mode().cliName(), settings.seconds(),
                settings.warmupSeconds()));
            text.append(String.format(Locale.ROOT, "  engine   %7.2f Mpps  (worker: %d GC collections, %d bytes "
                + "allocated in the measured interval", engineMpps, gcCollections, allocatedBytes));
            if (BenchMode.PASSTHROUGH != settings.mode())
            {
                text.append(String.format(Locale.ROOT, "; %d flows resident, %.1f %% of packets made a new flow",
                    flowsResident, 100 * newFlowShare));
            }
            text.append(String.format(Locale.ROOT, ")%n  testpmd  %7.2f Mpps  (io forwarding, same devices, capture "
                + "and %d-byte data room)%n  ratio    %7.3f%n", testpmdMpps, settings.frameCapacity(), ratio()));
            return text.toString();
        }

        public String json()
        {
            return new JsonWriter().beginObject()
                .field("mode", settings.mode().cliName())
                .field("engine_mpps", engineMpps)
                .field("testpmd_mpps", testpmdMpps)
                .field("ratio", ratio())
                .field("capture", settings.capture().toString())
                .field("capture_packets", settings.capturePackets())
                .field("seconds", settings.seconds())
                .field("warmup_seconds", settings.warmupSeconds())
                .field("frame_capacity", settings.frameCapacity())
                .field("gc_collections", gcCollections)
                .field("allocated_bytes", allocatedBytes)
                .field("flows_resident", flowsResident)
                .field("new_flow_share", newFlowShare)
                .endObject() + "\n";
        }
    }

    /**
     * Runs the engine, then testpmd.
     *
     * @throws IllegalStateException when either side fails to run.
     */
    public static Result run(final BenchSettings settings) throws IOException, InterruptedException
    {
        final EngineBench.Measurement engine = EngineBench.run(settings);
        final double testpmd = TestpmdBench.run(settings);
        return new Result(settings, engine.mpps(), testpmd, engine.gcCollections(), engine.allocatedBytes(),
            engine.flowsResident(), engine.newFlowShare());
    }
}
