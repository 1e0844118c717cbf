/**
 * Application layer: identification by content ({@link io.opensase.classifiers.app.AppDetector}) and the
 * parsers of the protocols the IPS rules inspect, one package each ({@code http}, {@code tls}, {@code dns},
 * {@code ssh}).
 * <p>
 * The parsers share one shape: one instance per worker, owned by its thread, with a slot per flow
 * ({@code open}, {@code feed(flow, direction, data, offset, length, listener)}, {@code gap}, {@code close});
 * {@code feed} takes each direction's in-order bytes as the stream reassembler releases them, cut anywhere.
 * What a parser decodes reaches its listener as a reused view, valid during the call. A message that lies
 * whole inside one fed piece is decoded where it is; one that arrived in pieces is gathered in an
 * {@link io.opensase.classifiers.app.AssemblyBuffers} buffer held only until it is complete, so memory grows
 * with the messages in flight rather than with the flows. Malformed input is counted and never thrown; a gap
 * ends parsing of a direction whose framing depends on what was lost.
 */
package io.opensase.classifiers.app;
