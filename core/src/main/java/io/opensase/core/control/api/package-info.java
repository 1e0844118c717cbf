/**
 * The embedded control API: an HTTP/1.1 server (Netty, NIO) in front of
 * {@link io.opensase.core.control.EngineControl}, started by {@link io.opensase.core.control.api.ControlApiServer}
 * from a {@link io.opensase.core.control.api.ControlApiConfig}.
 *
 * <h2>Threads</h2>
 * No packet thread ever runs API code. One daemon event loop accepts, one serves every connection (parsing,
 * limits, token checks, writing answers), and engine calls run on {@code ApiExecutors}: {@code /health} on a
 * thread of its own, reads on two, reload and configuration put on one (so they never overlap). An engine call
 * that takes seconds holds only its connection; {@code /health} and the other connections go on.
 *
 * <h2>What a request goes through</h2>
 * <ol>
 * <li>the connection limit (a connection past it is closed unread);</li>
 * <li>TLS when configured (1.3 or 1.2; a client certificate signed by the client CA when one is configured);</li>
 * <li>the HTTP codec: request line up to 4 KiB (414), headers up to 16 KiB (431), anything it cannot parse 400,
 *     another HTTP version 505; each of these closes the connection;</li>
 * <li>the body limit (413 and close, from Content-Length when given) and the request deadline (408 and close);</li>
 * <li>the rate limit, keyed by principal when a valid token came and by peer address otherwise (429);</li>
 * <li>the route (404, 405 with Allow), the bearer token (401 with WWW-Authenticate), the query and body (400,
 *     415);</li>
 * <li>the engine call: its JSON or metrics text (200), a reload outcome (200, 422, 500), an
 *     IllegalArgumentException from {@code flowsJson} (400), anything else thrown (500, one line on stderr).</li>
 * </ol>
 * Every error body is {@code {"error": "..."}}; no answer carries a stack trace or an exception's class.
 *
 * <h2>Known limits</h2>
 * HTTP/2 and HEAD are not served. A tokens file change takes effect through
 * {@link io.opensase.core.control.api.ControlApiServer#reloadTokens()} (for SIGHUP), not by watching the file.
 * Rate-limit buckets are bounded at 4096 keys: a flood from many addresses can make a new peer wait up to
 * burst / rate seconds. Certificates are read at start; a renewed certificate needs a restart.
 */
package io.opensase.core.control.api;
