package io.opensase.core.control.api;

import java.util.Map;

/**
 * What to answer a request with, before it becomes an HTTP response.
 *
 * @param status      HTTP status code.
 * @param contentType the Content-Type.
 * @param body        the body text, sent as UTF-8.
 * @param headers     further headers ({@code WWW-Authenticate}, {@code Allow}, {@code Retry-After}).
 * @param close       close the connection after this response (the request could not be read whole, or
 *                    what follows it in the stream cannot be trusted).
 */
record ApiResponse(int status, String contentType, String body, Map<String, String> headers, boolean close)
{
    static final String JSON = "application/json";
    static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";

    ApiResponse
    {
        headers = Map.copyOf(headers);
    }

    static ApiResponse json(final int status, final String body)
    {
        return new ApiResponse(status, JSON, body, Map.of(), false);
    }

    /** {@code {"error": message}}. */
    static ApiResponse error(final int status, final String message)
    {
        return json(status, ApiJson.error(message));
    }

    /** {@code {"error": message}} with one more header. */
    static ApiResponse error(final int status, final String message, final String header, final String value)
    {
        return new ApiResponse(status, JSON, ApiJson.error(message), Map.of(header, value), false);
    }

    /** {@code {"error": message}}, then the connection is closed. */
    static ApiResponse errorAndClose(final int status, final String message)
    {
        return new ApiResponse(status, JSON, ApiJson.error(message), Map.of(), true);
    }
}
