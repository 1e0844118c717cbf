package io.opensase.ips.match;

import io.opensase.ips.rules.Buffer;
import io.opensase.ips.rules.Rule;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;

import static io.opensase.ips.match.MatchTesting.segment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shared host table: one entry per key whoever claims it, counts that lose no update under contention. */
class HostTableTest
{
    @Test
    void shouldFindWhatWasClaimedAndNothingElse()
    {
        final HostTable table = new HostTable(1000);
        assertEquals(1024, table.capacity());
        assertEquals(-1, table.find(7, 1, 2, 3, 4));
        final int at = table.entry(7, 1, 2, 3, 4);
        assertTrue(at >= 0);
        assertEquals(at, table.entry(7, 1, 2, 3, 4));
        assertEquals(at, table.find(7, 1, 2, 3, 4));
        assertEquals(-1, table.find(7, 1, 2, 3, 5), "another address");
        assertEquals(-1, table.find(8, 1, 2, 3, 4), "another tag");
        assertTrue(table.compareAndSet(at, 0, 42));
        assertEquals(42, table.state(at));
    }

    @Test
    void shouldSayFullWhenTheKeysNearAHashAreTaken()
    {
        final HostTable table = new HostTable(1);
        int claimed = 0;
        for (int key = 1; key <= 2 * table.capacity(); key++)
        {
            claimed += table.entry(key, 0, 0, 0, 0) >= 0 ? 1 : 0;
        }
        assertTrue(claimed <= table.capacity() && claimed > table.capacity() / 2, "claimed " + claimed);
    }

    @Test
    void shouldTimeByTheFirstPacketLessAnHour()
    {
        final HostTable table = new HostTable(64);
        final long t = 1_700_000_000_123L * 1_000_000L;
        assertEquals(0L, table.millis(0), "no time: sets no base");
        assertEquals(3_600_000L, table.millis(t));
        assertEquals(3_600_001L, table.millis(t + 1_000_000L));
        assertEquals(0L, table.millis(t - 7_200_000_000_000L), "before the base");
    }

    /**
     * Two workers on two threads match the same rule with {@code threshold: type limit, track by_rule, count
     * 1000} on 20,000 packets each, all inside one window: exactly 1,000 alerts in all, whichever thread wins
     * each race, and every match reported (the other 39,000 silent). Then each thread claims the same 2,000
     * new keys at once: each key gets one entry.
     */
    @Test
    void shouldCountExactlyUnderContention() throws Exception
    {
        final List<Rule> rules = MatchTesting.rules("alert tcp any any -> any any (content:\"a\"; "
            + "threshold:type limit, track by_rule, count 1000, seconds 3600; sid:1;)");
        try (RuleMatcher matcher =
            RuleMatcher.compile(rules, PrefilterEngine.JAVA, RuleMatcher.DEFAULT_PCRE_SUBJECT_LIMIT))
        {
            final AtomicInteger alerts = new AtomicInteger();
            final AtomicInteger silent = new AtomicInteger();
            final CyclicBarrier start = new CyclicBarrier(2);
            final Runnable work = () ->
            {
                try (RuleMatcher.Worker worker = matcher.newWorker(1))
                {
                    final MatchInput in = new MatchInput().ipv4Addresses(1, 2).time(1_700_000_000_000_000_000L)
                        .set(Buffer.PAYLOAD, segment("a"));
                    start.await();
                    for (int i = 0; i < 20_000; i++)
                    {
                        assertEquals(1, worker.match(in));
                        (worker.alerts(0) ? alerts : silent).incrementAndGet();
                    }
                }
                catch (final Exception ex)
                {
                    throw new IllegalStateException(ex);
                }
            };
            final Thread other = new Thread(work);
            other.start();
            work.run();
            other.join();
            assertEquals(1000, alerts.get());
            assertEquals(39_000, silent.get());
        }

        final HostTable table = new HostTable(1 << 14);
        final int[][] found = new int[2][2000];
        final CyclicBarrier start = new CyclicBarrier(2);
        final Thread[] threads = new Thread[2];
        for (int t = 0; t < 2; t++)
        {
            final int me = t;
            threads[t] = new Thread(() ->
            {
                try
                {
                    start.await();
                }
                catch (final Exception ex)
                {
                    throw new IllegalStateException(ex);
                }
                for (int k = 0; k < 2000; k++)
                {
                    found[me][k] = table.entry(1 + k, k, -k, 0, 0);
                }
            });
            threads[t].start();
        }
        for (final Thread thread : threads)
        {
            thread.join();
        }
        for (int k = 0; k < 2000; k++)
        {
            assertTrue(found[0][k] >= 0);
            assertEquals(found[0][k], found[1][k], "key " + k);
        }
    }
}
