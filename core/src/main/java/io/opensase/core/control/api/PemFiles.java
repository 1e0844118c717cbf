package io.opensase.core.control.api;

import io.opensase.core.config.ConfigException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the PEM files of the API's TLS settings, with errors that name the file and what is wrong. */
final class PemFiles
{
    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----",
        Pattern.DOTALL);

    private PemFiles()
    {
    }

    /** Every certificate in {@code file}, first the leaf for a chain; {@code what} names it in errors. */
    static List<X509Certificate> certificates(final Path file, final String what) throws ConfigException
    {
        requireReadable(file);
        try (InputStream in = Files.newInputStream(file))
        {
            final List<X509Certificate> certificates = CertificateFactory.getInstance("X.509")
                .generateCertificates(in).stream().map(X509Certificate.class::cast).toList();
            if (certificates.isEmpty())
            {
                throw new ConfigException(file, 0, "", "no PEM " + what + " in it");
            }
            return certificates;
        }
        catch (final CertificateException ex)
        {
            throw new ConfigException(file, 0, "", "not a PEM " + what + ": " + ex.getMessage());
        }
        catch (final IOException ex)
        {
            throw new ConfigException(file, 0, "", "cannot read the file: " + ex.getMessage());
        }
    }

    /**
     * The unencrypted PKCS#8 key ({@code BEGIN PRIVATE KEY}, as {@code openssl genpkey} writes it) in
     * {@code file}, checked to belong to {@code certificate}: RSA, EC, Ed25519 or Ed448.
     */
    static PrivateKey privateKey(final Path file, final X509Certificate certificate) throws ConfigException
    {
        requireReadable(file);
        final String text;
        try
        {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        }
        catch (final IOException ex)
        {
            throw new ConfigException(file, 0, "", "cannot read the file (PEM is ASCII text): " + ex.getMessage());
        }
        final Matcher block = BLOCK.matcher(text);
        if (!block.find())
        {
            throw new ConfigException(file, 0, "", "no PEM private key in it");
        }
        final String type = block.group(1);
        if (!"PRIVATE KEY".equals(type))
        {
            throw new ConfigException(file, 0, "", "a PEM '" + type + "'; an unencrypted PKCS#8 'PRIVATE KEY' is needed"
                + " (openssl pkcs8 -topk8 -noenc -in KEY -out KEY.pk8 converts one)");
        }
        final byte[] der;
        try
        {
            der = Base64.getMimeDecoder().decode(block.group(2));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ConfigException(file, 0, "", "the PEM private key is not base64: " + ex.getMessage());
        }
        final PrivateKey key = decode(der, certificate.getPublicKey().getAlgorithm());
        if (null == key)
        {
            throw new ConfigException(file, 0, "", "not a " + certificate.getPublicKey().getAlgorithm()
                + " private key, the kind of key in its certificate");
        }
        if (!matches(key, certificate))
        {
            throw new ConfigException(file, 0, "", "not the private key of the certificate "
                + certificate.getSubjectX500Principal().getName());
        }
        return key;
    }

    private static PrivateKey decode(final byte[] der, final String algorithm)
    {
        try
        {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
        }
        catch (final GeneralSecurityException ex)
        {
            return null;
        }
    }

    /** Signs random bytes with {@code key} and checks the signature with the certificate's public key. */
    private static boolean matches(final PrivateKey key, final X509Certificate certificate)
    {
        final String algorithm = switch (key.getAlgorithm())
        {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm();
        };
        try
        {
            final byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            final Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            final byte[] signature = signer.sign();
            final Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(challenge);
            return verifier.verify(signature);
        }
        catch (final GeneralSecurityException ex)
        {
            return false;
        }
    }

    static void requireReadable(final Path file) throws ConfigException
    {
        if (!Files.isRegularFile(file))
        {
            throw new ConfigException(file, 0, "", "no such file");
        }
        if (!Files.isReadable(file))
        {
            throw new ConfigException(file, 0, "", "cannot read the file");
        }
    }
}
