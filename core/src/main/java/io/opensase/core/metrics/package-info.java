/**
 * Metrics a running engine publishes beyond its counters: each worker's burst processing time, and a
 * memory-mapped stats file other processes read ({@code opensase stats}).
 *
 * <h2>Threads</h2>
 * A worker times each non-empty burst from the start of its first stage to the end of its transmit (two
 * {@code System.nanoTime()} reads) and records it in its own {@link io.opensase.core.metrics.BurstTimes}: no
 * lock, no allocation, nothing shared with another worker. Control threads ({@code Engine.sample()} for
 * {@code /stats}, {@code /metrics} and the stats sampler) take snapshots; they serialise among themselves on
 * the {@code BurstTimes} object, never with the worker. The stats file is written by one thread, the
 * {@link io.opensase.core.metrics.StatsPublisher} sampler, every 100 ms and once more when the run ends;
 * workers never touch it.
 *
 * <h2>Why a single-writer recorder</h2>
 * HdrHistogram's {@code SingleWriterRecorder} keeps two histograms: the worker records into the active one
 * inside a phase (one atomic increment on entry, one on exit), and a reader swaps them and waits only for a
 * write already under way. So a snapshot is a histogram no one is writing: its total count agrees with its
 * buckets, and the Java memory model guarantees it sees every record made before the swap. The other design
 * considered, one plain {@code Histogram} per worker copied racily by the reader, is cheaper for the worker
 * (no atomic instruction) but gives no such guarantee: a copy can hold a count without its total, and
 * nothing in the memory model makes the worker's plain stores visible at all. Measured with
 * {@code benchmarks/.../metrics/BurstTimingBenchmark} (JMH 1.37, JDK 25, {@code -f 3 -wi 3 -w 2s -i 5 -r 2s
 * -prof gc}, a 2-vCPU Intel Xeon VM shared with other jobs, load average 3 to 5): a record costs 15.5 ns
 * against 3.2 ns for the plain histogram; the whole addition to a burst (two clock reads and a record) 58 ns,
 * 61 ns with a reader swapping every 100 ms; the clock reads alone 38 ns. At the default burst of 32 packets
 * that is under 2 ns a packet, of which the recorder's atomics are under 0.4 ns. {@code gc.alloc.rate.norm}
 * is 0 on the record path (at most 0.003 B/op, the sampler thread's own snapshots spread over the calls), and
 * {@code BurstTimesTest} checks that a million records allocate 0 bytes on the recording thread.
 * <p>
 * Values have two significant digits (a percentile is the top of its bucket, at most 1% above the value)
 * up to {@link io.opensase.core.metrics.BurstTimes#HIGHEST_NS}; a longer burst counts at that value, and the
 * longest burst is kept exactly beside the histogram.
 *
 * <h2>The stats file</h2>
 * Layout in {@link io.opensase.core.metrics.StatsFile}; names in {@link io.opensase.core.metrics.EngineStats}.
 * The file is made whole under a temporary name and renamed into place, so a reader never sees a half-made
 * header; a later run replaces it the same way (a watching reader notices the new file and reopens it).
 * Updates are guarded by a sequence number (a seqlock): a reader that catches one half-written reads again.
 *
 * <h2>Known limits</h2>
 * The file lives in the page cache and is not synced: after a machine crash it may hold an older update.
 * A file shortened by someone else while mapped makes the reading JVM fail on access. A reader tells a dead
 * engine from a live one by its pid, which the system can reuse. Percentiles are since the start of the
 * run, not over a recent window; rates come from {@code opensase stats --watch} or the Prometheus histogram.
 */
package io.opensase.core.metrics;
