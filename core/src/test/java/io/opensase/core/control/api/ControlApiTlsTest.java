package io.opensase.core.control.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.opensase.core.config.ConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS over real sockets, with certificates that the openssl command makes for each run: a CA, a server
 * certificate for 127.0.0.1 and a client certificate it signed, and a second CA with a client certificate of
 * its own.
 */
@Timeout(60)
class ControlApiTlsTest
{
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path pki;

    @TempDir
    Path dir;

    private final FakeEngine engine = new FakeEngine();
    private ControlApiServer server;

    @BeforeAll
    static void makeCertificates() throws Exception
    {
        ca("ca");
        ca("rogue-ca");
        signed("server", "ca", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
        signed("client", "ca", "extendedKeyUsage=clientAuth\n");
        signed("rogue-client", "rogue-ca", "extendedKeyUsage=clientAuth\n");
    }

    @AfterEach
    void stop()
    {
        if (null != server)
        {
            server.close();
        }
    }

    private ControlApiConfig config(final boolean clientCertificates) throws IOException
    {
        final Path tokens = ControlApiServerTest.tokensFile(dir, "alice: " + ControlApiServerTest.ALICE + "\n");
        return ControlApiConfig.defaults(tokens).withListen("127.0.0.1", 0)
            .withTls(pki.resolve("server.pem"), pki.resolve("server.key"),
                clientCertificates ? pki.resolve("ca.pem") : null);
    }

    private HttpResponse<String> get(final SSLContext tls, final String protocol) throws Exception
    {
        final SSLParameters parameters = new SSLParameters();
        parameters.setProtocols(new String[] {protocol});
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(tls)
            .sslParameters(parameters).connectTimeout(Duration.ofSeconds(5)).build())
        {
            return client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
                    + server.localAddress().getPort() + "/stats")).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + ControlApiServerTest.ALICE).build(),
                HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void shouldServeOverTls13AndTls12() throws Exception
    {
        server = ControlApiServer.start(config(false), engine);

        final HttpResponse<String> tls13 = get(clientContext(null), "TLSv1.3");
        assertEquals(200, tls13.statusCode());
        assertEquals("TLSv1.3", tls13.sslSession().orElseThrow().getProtocol());
        assertEquals("wan", JSON.readTree(tls13.body()).at("/ports/0/name").asText());

        final HttpResponse<String> tls12 = get(clientContext(null), "TLSv1.2");
        assertEquals(200, tls12.statusCode());
        assertEquals("TLSv1.2", tls12.sslSession().orElseThrow().getProtocol());
    }

    @Test
    void shouldStillWantATokenOverTls() throws Exception
    {
        server = ControlApiServer.start(config(true), engine);

        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .sslContext(clientContext("client")).build())
        {
            final HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
                + server.localAddress().getPort() + "/stats")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, response.statusCode());
        }
        assertEquals(0, engine.calls.get());
    }

    @Test
    void shouldAcceptClientCertificatesOfTheConfiguredCa() throws Exception
    {
        server = ControlApiServer.start(config(true), engine);

        for (final String protocol : List.of("TLSv1.3", "TLSv1.2"))
        {
            final HttpResponse<String> response = get(clientContext("client"), protocol);
            assertEquals(200, response.statusCode(), protocol);
            assertEquals("CN=client", ((X509Certificate)response.sslSession().orElseThrow()
                .getLocalCertificates()[0]).getSubjectX500Principal().getName());
        }
    }

    @Test
    void shouldRefuseClientsWithoutACertificateOfTheConfiguredCa() throws Exception
    {
        server = ControlApiServer.start(config(true), engine);

        for (final String protocol : List.of("TLSv1.3", "TLSv1.2"))
        {
            assertThrows(IOException.class, () -> get(clientContext("rogue-client"), protocol),
                "a client certificate from another CA, " + protocol);
            assertThrows(IOException.class, () -> get(clientContext(null), protocol),
                "no client certificate, " + protocol);
        }
        assertEquals(0, engine.calls.get(), "no request got through");
    }

    @Test
    void shouldRefuseAPlaintextClient() throws Exception
    {
        server = ControlApiServer.start(config(false), engine);

        try (RawHttp plain = new RawHttp(server.localAddress()))
        {
            final String answer = plain.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n").readAll();
            assertFalse(answer.contains("HTTP/"), "no HTTP answer in clear: " + answer);
            assertFalse(answer.contains("<timeout>"), "the connection is closed, not left open: " + answer);
        }
        assertEquals(0, engine.calls.get());
    }

    @Test
    void shouldRefuseTlsFilesThatCannotBeUsed() throws Exception
    {
        final ControlApiConfig good = config(true);
        final Path notPem = Files.writeString(dir.resolve("junk.pem"), "not a certificate\n");

        final ConfigException missing = assertThrows(ConfigException.class, () -> ControlApiServer.start(
            good.withTls(dir.resolve("absent.pem"), good.tlsKey(), null), engine));
        assertEquals(dir.resolve("absent.pem") + ": no such file", missing.getMessage());

        final ConfigException certificate = assertThrows(ConfigException.class, () -> ControlApiServer.start(
            good.withTls(notPem, good.tlsKey(), null), engine));
        assertTrue(certificate.getMessage().startsWith(notPem + ": not a PEM certificate"),
            certificate.getMessage());

        final ConfigException key = assertThrows(ConfigException.class, () -> ControlApiServer.start(
            good.withTls(good.tlsCertificate(), notPem, null), engine));
        assertEquals(notPem + ": no PEM private key in it", key.getMessage());

        final Path sec1 = Files.writeString(dir.resolve("sec1.key"),
            "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIA==\n-----END EC PRIVATE KEY-----\n");
        final ConfigException traditional = assertThrows(ConfigException.class, () -> ControlApiServer.start(
            good.withTls(good.tlsCertificate(), sec1, null), engine));
        assertEquals(sec1 + ": a PEM 'EC PRIVATE KEY'; an unencrypted PKCS#8 'PRIVATE KEY' is needed"
            + " (openssl pkcs8 -topk8 -noenc -in KEY -out KEY.pk8 converts one)", traditional.getMessage());

        final ConfigException otherKey = assertThrows(ConfigException.class, () -> ControlApiServer.start(
            good.withTls(good.tlsCertificate(), pki.resolve("client.key"), null), engine));
        assertEquals(pki.resolve("client.key") + ": not the private key of the certificate CN=server",
            otherKey.getMessage());

        final ConfigException ca = assertThrows(ConfigException.class, () -> ControlApiServer.start(
            good.withTls(good.tlsCertificate(), good.tlsKey(), notPem), engine));
        assertTrue(ca.getMessage().startsWith(notPem + ": not a PEM CA certificate"), ca.getMessage());
    }

    @Test
    void shouldRefusePlainHttpOnANonLoopbackAddress() throws Exception
    {
        final ControlApiConfig tls = config(false);
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> tls.withTls(null, null, null).withListen("0.0.0.0", 0));
        assertEquals("address: 0.0.0.0 is not a loopback address; it needs tls, or bearer tokens would cross the"
            + " network in clear", ex.getMessage());

        assertEquals("0.0.0.0", tls.withListen("0.0.0.0", 0).bindAddress(), "with TLS any address may be used");
    }

    /** Trusts the test CA; presents {@code client}'s certificate when not null. */
    private static SSLContext clientContext(final String client) throws Exception
    {
        final KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", certificates("ca.pem").getFirst());
        final TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(
            TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);

        final KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        if (null != client)
        {
            keys.setKeyEntry(client, privateKey(client + ".key"), new char[0],
                certificates(client + ".pem").toArray(Certificate[]::new));
        }
        final KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, new char[0]);

        final SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        return context;
    }

    private static List<? extends Certificate> certificates(final String file) throws Exception
    {
        try (InputStream in = Files.newInputStream(pki.resolve(file)))
        {
            return List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
        }
    }

    private static PrivateKey privateKey(final String file) throws Exception
    {
        final String pem = Files.readString(pki.resolve(file));
        final String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        final byte[] der = Base64.getDecoder().decode(base64);
        return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
    }

    private static void ca(final String name) throws Exception
    {
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-noenc",
            "-keyout", name + ".key", "-out", name + ".pem", "-days", "2", "-subj", "/CN=" + name,
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    }

    private static void signed(final String name, final String ca, final String extensions) throws Exception
    {
        Files.writeString(pki.resolve(name + ".ext"), extensions);
        openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-noenc",
            "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + name);
        openssl("x509", "-req", "-in", name + ".csr", "-CA", ca + ".pem", "-CAkey", ca + ".key",
            "-set_serial", Long.toString(System.nanoTime()), "-days", "2", "-extfile", name + ".ext",
            "-out", name + ".pem");
    }

    private static void openssl(final String... arguments) throws Exception
    {
        final List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        final Process process;
        try
        {
            process = new ProcessBuilder(command).directory(pki.toFile()).redirectErrorStream(true).start();
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("the TLS tests need the openssl command (Debian package openssl)", ex);
        }
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "openssl finishes");
        assertEquals(0, process.exitValue(), String.join(" ", command) + "\n" + output);
    }
}
