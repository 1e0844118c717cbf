package io.opensase.core.ips;

import io.opensase.classifiers.capture.CaptureFormatException;
import io.opensase.classifiers.capture.CaptureReader;
import io.opensase.classifiers.capture.Captures;
import io.opensase.classifiers.flow.FlowTable;
import io.opensase.classifiers.flow.FlowTimeouts;
import io.opensase.classifiers.flow.FullTablePolicy;
import io.opensase.classifiers.parse.PacketParser;
import io.opensase.core.engine.CaptureSource;
import io.opensase.core.engine.StopFlag;
import io.opensase.core.packet.JavaPacketPool;
import io.opensase.core.packet.PacketBurst;
import io.opensase.core.pipeline.FlowStage;
import io.opensase.core.pipeline.ParseStage;
import io.opensase.core.pipeline.WorkerCounters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Runs one capture through the worker stages an IPS needs (parse, flow, IPS) on the calling thread, as one
 * worker of the engine would, and returns what the IPS stage counted. The {@code opensase ips} command and the
 * suricata-verify cases use it.
 */
public final class IpsCaptureRun
{
    static final int BURST = 32;
    static final int FLOWS = 1 << 16;

    private IpsCaptureRun()
    {
    }

    /**
     * Null when the heap holds the HTTP header blocks the run's stage makes with {@code settings}, as
     * {@code run} checks before building its stage (2 GiB at the bound); else why not, for the operator.
     */
    public static String heapRefusal(final IpsSettings settings)
    {
        final long blocks = settings.headerBlockBytes(FLOWS);
        final long heap = Runtime.getRuntime().maxMemory();
        if (blocks <= heap * 9 / 10)
        {
            return null;
        }
        return String.format(Locale.ROOT, "ips.http_header_blocks %d needs %.1f GiB of Java heap for HTTP header "
            + "blocks, and the heap is %.1f GiB: lower ips.http_header_blocks, or raise the heap "
            + "(OPENSASE_JAVA_OPTS=-Xmx...)", settings.httpHeaderBlocks(), blocks / 1073741824.0,
            heap / 1073741824.0);
    }

    public static IpsCounters run(final IpsPolicy policy, final Path capture, final IpsEventSink sink)
        throws IOException
    {
        return run(policy, capture, sink, PacketParser::new);
    }

    /**
     * @param parsers makes the run's parsers (one parses the capture, one the datagrams rebuilt from fragments), as
     *                an engine configuration's {@code parser} section sets them up.
     */
    public static IpsCounters run(final IpsPolicy policy, final Path capture, final IpsEventSink sink,
        final Supplier<PacketParser> parsers) throws IOException
    {
        final Outcome outcome = runToError(policy, capture, sink, parsers, new WorkerCounters());
        if (null != outcome.captureError())
        {
            throw outcome.captureError();
        }
        return outcome.counters();
    }

    /**
     * What a run counted, and why the capture ended before its end: it is not a capture, or is corrupt or cut
     * short part-way (null when it was read whole). The packets before the bad offset were inspected.
     */
    public record Outcome(IpsCounters counters, CaptureFormatException captureError)
    {
    }

    /**
     * As {@link #run(IpsPolicy, Path, IpsEventSink, Supplier)}, and a capture that is no capture or is corrupt
     * part-way is reported in the outcome, not thrown, so that what came before it can be reported too.
     *
     * @param counters counts what is read before the IPS stage: packets read, dropped before inspection (a frame
     *                 larger than a packet buffer), malformed and snap-truncated.
     */
    public static Outcome runToError(final IpsPolicy policy, final Path capture, final IpsEventSink sink,
        final Supplier<PacketParser> parsers, final WorkerCounters counters) throws IOException
    {
        final CaptureReader opened;
        try
        {
            opened = Captures.open(capture);
        }
        catch (final CaptureFormatException ex)
        {
            return new Outcome(new IpsCounters(), ex);
        }
        try (CaptureReader reader = opened; JavaPacketPool pool = new JavaPacketPool(4 * BURST))
        {
            final CaptureSource source = new CaptureSource(reader, pool, counters, BURST, new StopFlag());
            final PacketBurst burst = new PacketBurst(BURST);
            final ParseStage parse = new ParseStage(parsers.get(), reader.linkType(), counters);
            final FlowStage flows = new FlowStage(new FlowTable(FLOWS, FlowTimeouts.DEFAULT,
                FullTablePolicy.EVICT_OLDEST));
            final IpsStage ips = new IpsStage(new IpsPolicyRef(policy), flows.table(), 0, reader.linkType().number(), sink, true);
            ips.followTracking(flows);
            ips.parseRebuiltWith(parsers.get());
            while (true)
            {
                final int received = source.receive(burst);
                if (0 == received)
                {
                    if (source.isExhausted())
                    {
                        break;
                    }
                    continue;
                }
                parse.process(burst);
                flows.process(burst);
                ips.process(burst);
                pool.free(burst.mbufs(), received);
            }
            ips.finish();
            return new Outcome(ips.counters(), source.error());
        }
    }
}
