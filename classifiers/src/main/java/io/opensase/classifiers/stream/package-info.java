/**
 * TCP stream reassembly per flow and direction for inspection: {@link io.opensase.classifiers.stream.TcpReassembler}
 * takes a worker's TCP segments and hands each direction's bytes, in order, to a
 * {@link io.opensase.classifiers.stream.StreamSink}, with the last bytes already delivered repeated in front so
 * that patterns split across segments are seen whole. Overlaps are resolved by
 * {@link io.opensase.classifiers.stream.OverlapPolicy}, memory exhaustion by
 * {@link io.opensase.classifiers.stream.MemcapPolicy}; holes given up are reported as gaps.
 */
package io.opensase.classifiers.stream;
