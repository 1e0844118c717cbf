package io.opensase.core.control.api;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.opensase.core.control.EngineControl;
import io.opensase.core.control.FlowFilter;
import io.opensase.core.control.TraceFilter;
import io.opensase.core.control.ReloadOutcome;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Turns a whole request into a response: rate limit, route, bearer token, query, body, then the engine call
 * on an executor, never on the event loop that calls {@link #handle}. Shared by every connection.
 */
final class ApiRouter
{
    static final int DEFAULT_FLOW_LIMIT = 100;
    static final int MAX_FLOW_LIMIT = 10_000;

    /** Methods allowed on each path, in the order the Allow header lists them. */
    private static final Map<String, List<HttpMethod>> ROUTES = Map.of(
        "/health", List.of(HttpMethod.GET),
        "/stats", List.of(HttpMethod.GET),
        "/flows", List.of(HttpMethod.GET),
        "/tenants", List.of(HttpMethod.GET),
        "/rules", List.of(HttpMethod.GET),
        "/config", List.of(HttpMethod.GET, HttpMethod.PUT),
        "/reload", List.of(HttpMethod.POST),
        "/metrics", List.of(HttpMethod.GET),
        "/capture", List.of(HttpMethod.GET, HttpMethod.POST),
        "/trace", List.of(HttpMethod.GET, HttpMethod.POST));
    private static final List<String> FLOW_PARAMETERS = List.of("tenant", "address", "port", "protocol", "limit");
    private static final List<String> PUT_CONFIG_PARAMETERS = List.of("validate_only");
    private static final List<String> CAPTURE_PARAMETERS =
        List.of("tenant", "address", "port", "protocol", "packets", "seconds");
    private static final List<String> TRACE_PARAMETERS =
        List.of("tenant", "src", "sport", "dst", "dport", "protocol", "packets", "seconds");
    static final int DEFAULT_TRACE_PACKETS = 100;
    static final int DEFAULT_CAPTURE_PACKETS = 1000;
    static final int DEFAULT_CAPTURE_SECONDS = 10;
    private static final Set<String> YAML_TYPES =
        Set.of("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml", "text/plain");
    private static final Map<String, Integer> PROTOCOLS =
        Map.of("icmp", 1, "tcp", 6, "udp", 17, "gre", 47, "icmpv6", 58, "sctp", 132);

    private final EngineControl engine;
    private final Supplier<BearerTokens> tokens;
    private final RateLimiter limiter;
    private final LongSupplier nanoClock;
    private final ApiExecutors executors;
    private final Consumer<String> log;

    ApiRouter(final EngineControl engine, final Supplier<BearerTokens> tokens, final RateLimiter limiter,
        final LongSupplier nanoClock, final ApiExecutors executors, final Consumer<String> log)
    {
        this.engine = engine;
        this.tokens = tokens;
        this.limiter = limiter;
        this.nanoClock = nanoClock;
        this.executors = executors;
        this.log = log;
    }

    /** Completes on an executor thread for engine calls, or at once for requests refused before one. */
    CompletableFuture<ApiResponse> handle(final ApiRequest request)
    {
        final List<String> authorization = request.headers().getAll(HttpHeaderNames.AUTHORIZATION);
        final String presented = bearer(authorization);
        final String principal = tokens.get().principalOf(presented);

        final long waitNs = limiter.tryAcquire(null == principal ? "peer " + request.peer() : principal,
            nanoClock.getAsLong());
        if (waitNs > 0)
        {
            final long seconds = Math.max(1, (waitNs + 999_999_999L) / 1_000_000_000L);
            return done(ApiResponse.error(429, "too many requests; retry in " + seconds + " s",
                "Retry-After", Long.toString(seconds)));
        }

        final QueryStringDecoder query;
        final String path;
        try
        {
            query = new QueryStringDecoder(request.uri());
            path = query.path();
            query.parameters();
        }
        catch (final IllegalArgumentException ex)
        {
            return done(ApiResponse.error(400, "request target: " + printable(String.valueOf(ex.getMessage()))));
        }
        final List<HttpMethod> methods = ROUTES.get(path);
        if (null == methods)
        {
            return done(ApiResponse.error(404, "no such resource: " + printable(path)));
        }
        if (!methods.contains(request.method()))
        {
            final String allow = String.join(", ", methods.stream().map(HttpMethod::name).toList());
            return done(ApiResponse.error(405, request.method().name() + " is not allowed on " + path
                + "; allowed: " + allow, "Allow", allow));
        }

        if (!"/health".equals(path) && null == principal)
        {
            final boolean missing = authorization.isEmpty();
            return done(ApiResponse.error(401, missing ? "missing bearer token (Authorization: Bearer TOKEN)"
                : "invalid bearer token", "WWW-Authenticate", missing ? "Bearer realm=\"opensase\""
                : "Bearer realm=\"opensase\", error=\"invalid_token\""));
        }

        try
        {
            return route(request, path, query.parameters(), principal);
        }
        catch (final IllegalArgumentException ex)
        {
            return done(ApiResponse.error(400, ex.getMessage()));
        }
    }

    private CompletableFuture<ApiResponse> route(final ApiRequest request, final String path,
        final Map<String, List<String>> parameters, final String principal)
    {
        if (HttpMethod.PUT.equals(request.method()))
        {
            checkParameters(path, parameters, PUT_CONFIG_PARAMETERS);
            final boolean validateOnly = booleanParameter(parameters, "validate_only");
            final String refusal = refusedContentType(request.headers().get(HttpHeaderNames.CONTENT_TYPE));
            if (null != refusal)
            {
                return done(ApiResponse.error(415, refusal));
            }
            final String yaml = utf8(request.body());
            if (yaml.isBlank())
            {
                throw new IllegalArgumentException("the body is empty; send the whole configuration as YAML");
            }
            return call(executors.change(), "PUT /config",
                () -> outcome(engine.putConfig(yaml, validateOnly, principal)), false);
        }
        if ("/flows".equals(path))
        {
            checkParameters(path, parameters, FLOW_PARAMETERS);
            final FlowFilter filter = new FlowFilter(
                stringParameter(parameters, "tenant"),
                addressParameter(parameters),
                intParameter(parameters, "port", 0, 65535),
                protocolParameter(parameters));
            final Integer limit = intParameter(parameters, "limit", 1, MAX_FLOW_LIMIT);
            final int top = null == limit ? DEFAULT_FLOW_LIMIT : limit;
            return call(executors.read(), "GET /flows", () -> ApiResponse.json(200, engine.flowsJson(filter, top)),
                true);
        }
        if ("/capture".equals(path) && HttpMethod.POST.equals(request.method()))
        {
            checkParameters(path, parameters, CAPTURE_PARAMETERS);
            final FlowFilter filter = new FlowFilter(stringParameter(parameters, "tenant"),
                addressParameter(parameters), intParameter(parameters, "port", 0, 65535), protocolParameter(parameters));
            final Integer packets = intParameter(parameters, "packets", 1, 1_000_000);
            final Integer seconds = intParameter(parameters, "seconds", 1, 3600);
            return call(executors.change(), "POST /capture", () ->
            {
                try
                {
                    return ApiResponse.json(202, engine.startCapture(filter,
                        null == packets ? DEFAULT_CAPTURE_PACKETS : packets,
                        null == seconds ? DEFAULT_CAPTURE_SECONDS : seconds, principal));
                }
                catch (final IllegalStateException ex)
                {
                    return ApiResponse.error(409, String.valueOf(ex.getMessage()));
                }
            }, true);
        }
        if ("/trace".equals(path) && HttpMethod.POST.equals(request.method()))
        {
            checkParameters(path, parameters, TRACE_PARAMETERS);
            final TraceFilter filter = new TraceFilter(stringParameter(parameters, "tenant"),
                addressParameter(parameters, "src"), intParameter(parameters, "sport", 0, 65535),
                addressParameter(parameters, "dst"), intParameter(parameters, "dport", 0, 65535),
                protocolParameter(parameters));
            final Integer packets = intParameter(parameters, "packets", 1, 10_000);
            final Integer seconds = intParameter(parameters, "seconds", 1, 3600);
            return call(executors.change(), "POST /trace", () ->
            {
                try
                {
                    return ApiResponse.json(202, engine.startTrace(filter,
                        null == packets ? DEFAULT_TRACE_PACKETS : packets,
                        null == seconds ? DEFAULT_CAPTURE_SECONDS : seconds, principal));
                }
                catch (final IllegalStateException ex)
                {
                    return ApiResponse.error(409, String.valueOf(ex.getMessage()));
                }
            }, true);
        }
        checkParameters(path, parameters, List.of());
        return switch (path)
        {
            case "/health" -> call(executors.health(), "GET /health", () -> json(engine.healthJson()), false);
            case "/stats" -> call(executors.read(), "GET /stats", () -> json(engine.statsJson()), false);
            case "/tenants" -> call(executors.read(), "GET /tenants", () -> json(engine.tenantsJson()), false);
            case "/rules" -> call(executors.read(), "GET /rules", () -> json(engine.rulesJson()), false);
            case "/config" -> call(executors.read(), "GET /config", () -> json(engine.configJson()), false);
            case "/metrics" -> call(executors.read(), "GET /metrics", () -> metrics(engine.metricsText()), false);
            case "/capture" -> call(executors.read(), "GET /capture", () -> json(engine.captureJson()), false);
            case "/trace" -> call(executors.read(), "GET /trace", () -> json(engine.traceJson()), false);
            case "/reload" -> call(executors.change(), "POST /reload", () -> outcome(engine.reload(principal)),
                false);
            default -> throw new IllegalStateException("route without a handler: " + path);
        };
    }

    /**
     * Runs {@code call} on {@code executor}. An IllegalArgumentException is the caller's mistake (400) where
     * {@code badRequestOnIllegalArgument}; anything else thrown is logged as one line and answered 500
     * without its detail.
     */
    private CompletableFuture<ApiResponse> call(final Executor executor, final String what,
        final Supplier<ApiResponse> call, final boolean badRequestOnIllegalArgument)
    {
        try
        {
            return CompletableFuture.supplyAsync(() ->
            {
                try
                {
                    return call.get();
                }
                catch (final IllegalArgumentException ex)
                {
                    if (badRequestOnIllegalArgument)
                    {
                        return ApiResponse.error(400, String.valueOf(ex.getMessage()));
                    }
                    return failed(what, ex);
                }
                catch (final RuntimeException | Error ex)
                {
                    return failed(what, ex);
                }
            }, executor);
        }
        catch (final RejectedExecutionException ex)
        {
            return done(ApiResponse.error(503, "busy: too many requests in progress; retry shortly",
                "Retry-After", "1"));
        }
    }

    private ApiResponse failed(final String what, final Throwable ex)
    {
        log.accept("opensase: control api: " + what + " failed: " + oneLine(ex.toString()));
        return ApiResponse.error(500, "internal error while serving " + what + "; the engine's log has the cause");
    }

    private static ApiResponse json(final String body)
    {
        if (null == body)
        {
            throw new IllegalStateException("the engine returned no body");
        }
        return ApiResponse.json(200, body.endsWith("\n") ? body : body + "\n");
    }

    private static ApiResponse metrics(final String text)
    {
        if (null == text)
        {
            throw new IllegalStateException("the engine returned no metrics");
        }
        return new ApiResponse(200, ApiResponse.PROMETHEUS, text, Map.of(), false);
    }

    static ApiResponse outcome(final ReloadOutcome outcome)
    {
        final int status = switch (outcome.status())
        {
            case APPLIED, UNCHANGED, VALID -> 200;
            case INVALID -> 422;
            case FAILED -> 500;
        };
        return ApiResponse.json(status, ApiJson.outcome(outcome));
    }

    private static String bearer(final List<String> authorization)
    {
        if (authorization.size() != 1)
        {
            return null;
        }
        final String value = authorization.getFirst().strip();
        if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7))
        {
            return null;
        }
        return value.substring(7).strip();
    }

    /** Null when {@code contentType} is YAML or plain text in UTF-8; otherwise why not. */
    static String refusedContentType(final String contentType)
    {
        final String allowed = "send the configuration as application/yaml (or text/yaml, text/plain) in UTF-8";
        if (null == contentType)
        {
            return "no Content-Type; " + allowed;
        }
        final String[] parts = contentType.split(";");
        final String type = parts[0].strip().toLowerCase(Locale.ROOT);
        if (!YAML_TYPES.contains(type))
        {
            return "Content-Type " + printable(type) + " is not accepted; " + allowed;
        }
        for (int i = 1; i < parts.length; i++)
        {
            final String parameter = parts[i].strip().toLowerCase(Locale.ROOT);
            if (parameter.startsWith("charset="))
            {
                final String charset = parameter.substring(8).replace("\"", "");
                if (!"utf-8".equals(charset) && !"us-ascii".equals(charset))
                {
                    return "charset " + printable(charset) + " is not accepted; " + allowed;
                }
            }
        }
        return null;
    }

    private static String utf8(final byte[] body)
    {
        try
        {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(body)).toString();
        }
        catch (final CharacterCodingException ex)
        {
            throw new IllegalArgumentException("the body is not UTF-8 text");
        }
    }

    private static void checkParameters(final String path, final Map<String, List<String>> parameters,
        final List<String> allowed)
    {
        for (final Map.Entry<String, List<String>> parameter : parameters.entrySet())
        {
            if (!allowed.contains(parameter.getKey()))
            {
                throw new IllegalArgumentException(allowed.isEmpty()
                    ? path + " takes no query parameters; got '" + printable(parameter.getKey()) + "'"
                    : "unknown query parameter '" + printable(parameter.getKey()) + "'; allowed: "
                        + String.join(", ", allowed));
            }
            if (parameter.getValue().size() > 1)
            {
                throw new IllegalArgumentException(parameter.getKey() + ": given " + parameter.getValue().size()
                    + " times; once at most");
            }
        }
    }

    private static String stringParameter(final Map<String, List<String>> parameters, final String name)
    {
        final List<String> values = parameters.get(name);
        if (null == values)
        {
            return null;
        }
        final String value = values.getFirst();
        if (value.isEmpty())
        {
            throw new IllegalArgumentException(name + ": empty");
        }
        return value;
    }

    private static Integer intParameter(final Map<String, List<String>> parameters, final String name,
        final int min, final int max)
    {
        final String value = stringParameter(parameters, name);
        if (null == value)
        {
            return null;
        }
        final int number = parseInt(value, -1);
        if (number < min || number > max || !value.chars().allMatch(c -> c >= '0' && c <= '9'))
        {
            throw new IllegalArgumentException(name + ": '" + printable(value) + "' is not a number in "
                + min + ".." + max);
        }
        return number;
    }

    private static String addressParameter(final Map<String, List<String>> parameters)
    {
        return addressParameter(parameters, "address");
    }

    private static String addressParameter(final Map<String, List<String>> parameters, final String name)
    {
        final String value = stringParameter(parameters, name);
        if (null != value)
        {
            try
            {
                InetAddress.ofLiteral(value);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalArgumentException(name + ": '" + printable(value)
                    + "' is not an IPv4 or IPv6 address", ex);
            }
        }
        return value;
    }

    private static Integer protocolParameter(final Map<String, List<String>> parameters)
    {
        final String value = stringParameter(parameters, "protocol");
        if (null == value)
        {
            return null;
        }
        final Integer named = PROTOCOLS.get(value.toLowerCase(Locale.ROOT));
        if (null != named)
        {
            return named;
        }
        final int number = value.chars().allMatch(c -> c >= '0' && c <= '9') ? parseInt(value, -1) : -1;
        if (number < 0 || number > 255)
        {
            throw new IllegalArgumentException("protocol: '" + printable(value)
                + "' is not tcp, udp, icmp, icmpv6, sctp, gre or a number in 0..255");
        }
        return number;
    }

    private static boolean booleanParameter(final Map<String, List<String>> parameters, final String name)
    {
        final String value = stringParameter(parameters, name);
        if (null == value || "false".equals(value))
        {
            return false;
        }
        if ("true".equals(value))
        {
            return true;
        }
        throw new IllegalArgumentException(name + ": '" + printable(value) + "' is not true or false");
    }

    private static int parseInt(final String text, final int otherwise)
    {
        try
        {
            return Integer.parseInt(text);
        }
        catch (final NumberFormatException ex)
        {
            return otherwise;
        }
    }

    /** At most 100 characters of {@code text}, control characters as {@code ?}: safe to echo in an error. */
    static String printable(final String text)
    {
        final StringBuilder out = new StringBuilder();
        text.codePoints().limit(100).forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return text.codePointCount(0, text.length()) > 100 ? out.append("...").toString() : out.toString();
    }

    /** {@code text} on one line (control characters as spaces), at most 500 characters: for the log. */
    static String oneLine(final String text)
    {
        final StringBuilder out = new StringBuilder();
        text.codePoints().limit(500).forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
        return out.toString();
    }

    private static CompletableFuture<ApiResponse> done(final ApiResponse response)
    {
        return CompletableFuture.completedFuture(response);
    }
}
