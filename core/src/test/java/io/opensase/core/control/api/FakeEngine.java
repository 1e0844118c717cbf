package io.opensase.core.control.api;

import io.opensase.core.control.EngineControl;
import io.opensase.core.control.FlowFilter;
import io.opensase.core.control.ReloadOutcome;
import io.opensase.core.control.TraceFilter;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An engine that answers fixed JSON and records what it was asked: the calls, the last flow filter and limit,
 * the last principal and configuration text. A test may make a call throw, or block until released.
 */
final class FakeEngine implements EngineControl
{
    static final String DIGEST = "a".repeat(64);

    final AtomicInteger calls = new AtomicInteger();
    volatile FlowFilter lastFilter;
    volatile int lastLimit;
    volatile String lastPrincipal;
    volatile String lastYaml;
    volatile boolean lastValidateOnly;
    volatile ReloadOutcome outcome = new ReloadOutcome(ReloadOutcome.Status.APPLIED, 7, null, List.of(), DIGEST);
    volatile RuntimeException statsFailure;
    volatile RuntimeException flowsFailure;
    volatile boolean captureBusy;
    volatile TraceFilter lastTrace;
    volatile int lastCapturePackets;
    volatile int lastCaptureSeconds;
    /** When set, reload waits for it (at most 10 s) and counts down {@link #reloadEntered} first. */
    volatile CountDownLatch reloadGate;
    final CountDownLatch reloadEntered = new CountDownLatch(1);
    /** Milliseconds statsJson sleeps before answering. */
    volatile long statsDelayMs;

    @Override
    public String healthJson()
    {
        calls.incrementAndGet();
        return "{\"status\": \"up\", \"generation\": 7}";
    }

    @Override
    public String statsJson()
    {
        calls.incrementAndGet();
        if (null != statsFailure)
        {
            throw statsFailure;
        }
        sleep(statsDelayMs);
        return "{\"ports\": [{\"name\": \"wan\", \"rx_packets\": 12}]}";
    }

    @Override
    public String flowsJson(final FlowFilter filter, final int limit)
    {
        calls.incrementAndGet();
        if (null != flowsFailure)
        {
            throw flowsFailure;
        }
        lastFilter = filter;
        lastLimit = limit;
        return "{\"flows\": []}";
    }

    @Override
    public String tenantsJson()
    {
        calls.incrementAndGet();
        return "{\"tenants\": [{\"name\": \"acme\"}]}";
    }

    @Override
    public String rulesJson()
    {
        calls.incrementAndGet();
        return "{\"rules\": [{\"tenant\": \"acme\", \"name\": \"web\", \"packets\": 3}]}";
    }

    @Override
    public String configJson()
    {
        calls.incrementAndGet();
        return "{\"generation\": 7, \"digest\": \"" + DIGEST + "\", \"text\": \"engine:\\n  workers: 1\\n\"}";
    }

    @Override
    public String metricsText()
    {
        calls.incrementAndGet();
        return "# TYPE opensase_rx_packets_total counter\nopensase_rx_packets_total{port=\"wan\"} 12\n";
    }

    @Override
    public String startCapture(final FlowFilter filter, final int maxPackets, final int maxSeconds,
        final String principal)
    {
        calls.incrementAndGet();
        lastFilter = filter;
        lastPrincipal = principal;
        lastCapturePackets = maxPackets;
        lastCaptureSeconds = maxSeconds;
        if (captureBusy)
        {
            throw new IllegalStateException("a capture is under way");
        }
        return "{\"file\": \"capture.pcap\"}\n";
    }

    @Override
    public String startTrace(final TraceFilter filter, final int maxPackets, final int maxSeconds,
        final String principal)
    {
        calls.incrementAndGet();
        lastTrace = filter;
        lastCapturePackets = maxPackets;
        lastCaptureSeconds = maxSeconds;
        return "{\"state\": \"running\"}\n";
    }

    @Override
    public String traceJson()
    {
        calls.incrementAndGet();
        return "{\"state\": \"done\", \"packets\": []}\n";
    }

    @Override
    public String captureJson()
    {
        calls.incrementAndGet();
        return "{\"state\": \"done\"}\n";
    }

    @Override
    public ReloadOutcome reload(final String principal)
    {
        calls.incrementAndGet();
        lastPrincipal = principal;
        final CountDownLatch gate = reloadGate;
        if (null != gate)
        {
            reloadEntered.countDown();
            try
            {
                gate.await(10, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
        return outcome;
    }

    @Override
    public ReloadOutcome putConfig(final String yaml, final boolean validateOnly, final String principal)
    {
        calls.incrementAndGet();
        lastYaml = yaml;
        lastValidateOnly = validateOnly;
        lastPrincipal = principal;
        return outcome;
    }

    private static void sleep(final long ms)
    {
        if (ms > 0)
        {
            try
            {
                Thread.sleep(ms);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }
}
