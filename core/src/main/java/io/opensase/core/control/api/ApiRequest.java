package io.opensase.core.control.api;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;

/**
 * One whole request as the connection read it: head, body and the peer's address. Built and read on the
 * connection's event loop; only values taken from it reach the executors.
 *
 * @param method  request method.
 * @param uri     request target as sent (origin form: path and query).
 * @param headers request headers.
 * @param body    the body, at most the configured limit.
 * @param peer    the peer's IP address, text; the rate-limit key before a principal is known.
 */
record ApiRequest(HttpMethod method, String uri, HttpHeaders headers, byte[] body, String peer)
{
}
