package io.opensase.ips.dataset;

import io.opensase.ips.rules.DatasetMatch;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** One set used by several worker threads at once, as the matcher's workers use it. */
class DatasetConcurrencyTest
{
    @Test
    void eachValueIsNewForExactlyOneOfTheThreadsAddingIt() throws Exception
    {
        final int threads = 3;
        final int values = 2_000;
        try (Datasets datasets = new Datasets(null))
        {
            final Dataset set = datasets.open(
                new DatasetMatch(DatasetMatch.Command.SET, "race", DatasetMatch.Type.STRING, null, null, 0, 0));
            final AtomicInteger added = new AtomicInteger();
            final CountDownLatch start = new CountDownLatch(1);
            final Thread[] workers = new Thread[threads];
            for (int t = 0; t < threads; t++)
            {
                workers[t] = new Thread(() ->
                {
                    final StringBuilder scratch = new StringBuilder();
                    try
                    {
                        start.await();
                    }
                    catch (final InterruptedException ex)
                    {
                        return;
                    }
                    // Every thread adds the same values: each must be new for exactly one of them.
                    for (int v = 0; v < values; v++)
                    {
                        final byte[] b = ("host-" + v + ".example").getBytes(StandardCharsets.US_ASCII);
                        if (set.add(MemorySegment.ofArray(b), 0, b.length, scratch))
                        {
                            added.incrementAndGet();
                        }
                    }
                });
                workers[t].start();
            }
            start.countDown();
            for (final Thread worker : workers)
            {
                worker.join();
            }
            assertEquals(values, added.get());
            assertEquals(values, set.size());
        }
    }
}
