package io.opensase.core.config;

import io.opensase.core.control.api.ControlApiConfig;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the {@code control:} section into a {@link ControlApiConfig}: where the control API listens, its
 * tokens file, TLS files and limits. File names are taken from the configuration file's folder and only
 * recorded: the tokens, certificate and key files are read when the API starts, so they need not exist
 * when the configuration is loaded or validated. Every problem is a {@link ConfigException} with the line
 * and field, including those {@link ControlApiConfig} itself finds (a non-loopback address without TLS).
 */
final class ControlSection
{
    private static final Set<String> CONTROL = Set.of("address", "port", "tokens", "tls", "max_body_bytes",
        "rate_limit", "max_connections", "request_timeout", "idle_timeout");
    private static final Set<String> TLS = Set.of("certificate", "key", "client_ca");
    private static final Set<String> RATE_LIMIT = Set.of("per_second", "burst");
    /** Four decimal parts 0..255 without leading zeros: no {@code 127.1}, no {@code 010.0.0.1} (octal to some). */
    private static final Pattern IPV4 = Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}"
        + "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final long MAX_TIMEOUT_NS = 3_600_000_000_000L;

    private ControlSection()
    {
    }

    static ControlApiConfig read(final YamlNode node, final Path folder) throws ConfigException
    {
        final Map<String, YamlNode> fields = node.mapping(CONTROL);
        final String address = fields.containsKey("address")
            ? address(fields.get("address")) : ControlApiConfig.DEFAULT_BIND_ADDRESS;
        final int port = fields.containsKey("port")
            ? fields.get("port").integer(1, 65535) : ControlApiConfig.DEFAULT_PORT;
        final Path tokens = ConfigLoader.required(node, fields, "tokens").fileIn(folder);

        Path certificate = null;
        Path key = null;
        Path clientCa = null;
        if (fields.containsKey("tls"))
        {
            final YamlNode tlsNode = fields.get("tls");
            final Map<String, YamlNode> tls = tlsNode.mapping(TLS);
            if (tls.containsKey("client_ca") && !tls.containsKey("certificate"))
            {
                throw tls.get("client_ca").error("needs tls.certificate and tls.key: client certificates are "
                    + "checked in the TLS handshake");
            }
            certificate = tlsFile(tlsNode, tls, "certificate").fileIn(folder);
            key = tlsFile(tlsNode, tls, "key").fileIn(folder);
            clientCa = tls.containsKey("client_ca") ? tls.get("client_ca").fileIn(folder) : null;
        }

        final int maxBodyBytes = fields.containsKey("max_body_bytes")
            ? fields.get("max_body_bytes").integer(1, ControlApiConfig.MAX_BODY_BYTES_LIMIT)
            : ControlApiConfig.DEFAULT_MAX_BODY_BYTES;
        int perSecond = ControlApiConfig.DEFAULT_RATE_PER_SECOND;
        int burst = ControlApiConfig.DEFAULT_RATE_BURST;
        if (fields.containsKey("rate_limit"))
        {
            final Map<String, YamlNode> rate = fields.get("rate_limit").mapping(RATE_LIMIT);
            perSecond = rate.containsKey("per_second") ? rate.get("per_second").integer(1, 100_000) : perSecond;
            burst = rate.containsKey("burst") ? rate.get("burst").integer(1, 100_000) : burst;
        }
        final int maxConnections = fields.containsKey("max_connections")
            ? fields.get("max_connections").integer(1, 10_000) : ControlApiConfig.DEFAULT_MAX_CONNECTIONS;
        final Duration requestTimeout = fields.containsKey("request_timeout")
            ? timeout(fields.get("request_timeout")) : ControlApiConfig.DEFAULT_REQUEST_TIMEOUT;
        final Duration idleTimeout = fields.containsKey("idle_timeout")
            ? timeout(fields.get("idle_timeout")) : ControlApiConfig.DEFAULT_IDLE_TIMEOUT;
        try
        {
            return new ControlApiConfig(address, port, tokens, certificate, key, clientCa, maxBodyBytes, perSecond,
                burst, maxConnections, requestTimeout, idleTimeout);
        }
        catch (final IllegalArgumentException ex)
        {
            throw node.rejected(ex);
        }
    }

    /** An IP literal; host names are refused rather than resolved. */
    private static String address(final YamlNode node) throws ConfigException
    {
        final String text = node.text();
        if (IPV4.matcher(text).matches())
        {
            return text;
        }
        if (text.contains(":"))
        {
            try
            {
                InetAddress.ofLiteral(text);
                return text;
            }
            catch (final IllegalArgumentException ex)
            {
                // reported below
            }
        }
        throw node.error("'" + text + "' is not an IP address; give one such as 127.0.0.1 or ::1 (host names "
            + "are not resolved)");
    }

    private static YamlNode tlsFile(final YamlNode tlsNode, final Map<String, YamlNode> tls, final String name)
        throws ConfigException
    {
        final YamlNode value = tls.get(name);
        if (null == value)
        {
            throw new ConfigException(tlsNode.file(), tlsNode.line(), tlsNode.path() + "." + name,
                "missing; certificate and key go together");
        }
        return value;
    }

    private static Duration timeout(final YamlNode node) throws ConfigException
    {
        final long ns = node.durationNs();
        if (ns > MAX_TIMEOUT_NS)
        {
            throw node.error("must be at most 1h, got '" + node.text() + "'");
        }
        return Duration.ofNanos(ns);
    }
}
