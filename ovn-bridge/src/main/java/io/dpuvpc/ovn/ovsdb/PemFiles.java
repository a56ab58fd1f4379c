package io.dpuvpc.ovn.ovsdb;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the PEM files OVS uses. Private keys may be PKCS#8 ({@code BEGIN PRIVATE KEY}) or the
 * traditional PKCS#1 RSA form ({@code BEGIN RSA PRIVATE KEY}) that {@code ovs-pki} writes; the JDK
 * reads only the first, so PKCS#1 is wrapped into PKCS#8 here (RFC 5208, RFC 8017 A.1.2).
 */
final class PemFiles {
    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z ]+)-----([^-]+)-----END \\1-----");
    // DER of: SEQUENCE { INTEGER 0, SEQUENCE { OID rsaEncryption, NULL }, OCTET STRING ... }
    private static final byte[] RSA_ALGORITHM = {0x02, 0x01, 0x00, 0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48,
        (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

    private PemFiles() {
    }

    static PrivateKey privateKey(Path file) {
        String text = read(file);
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String type = m.group(1);
            byte[] der = Base64.getMimeDecoder().decode(m.group(2));
            try {
                switch (type) {
                    case "PRIVATE KEY" -> {
                        return pkcs8(der);
                    }
                    case "RSA PRIVATE KEY" -> {
                        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(wrapPkcs1(der)));
                    }
                    case "ENCRYPTED PRIVATE KEY" -> throw new OvsdbException(file + ": encrypted private keys are not supported; "
                        + "store it unencrypted with restricted file permissions, as OVS does");
                    default -> {
                        // Not a key block (a certificate in the same file, say): keep looking.
                    }
                }
            } catch (GeneralSecurityException e) {
                throw new OvsdbException(file + ": cannot read the " + type + ": " + e.getMessage(), e);
            }
        }
        throw new OvsdbException(file + ": no PEM private key (expected BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY)");
    }

    static X509Certificate[] certificates(Path file) {
        try (InputStream in = new ByteArrayInputStream(read(file).getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
            List<X509Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                .map(X509Certificate.class::cast).toList();
            if (certs.isEmpty()) {
                throw new OvsdbException(file + ": no PEM certificate");
            }
            return certs.toArray(X509Certificate[]::new);
        } catch (IOException | GeneralSecurityException e) {
            throw new OvsdbException(file + ": cannot read certificates: " + e.getMessage(), e);
        }
    }

    private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
        GeneralSecurityException last = null;
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "DSA"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw last;
    }

    static byte[] wrapPkcs1(byte[] pkcs1) {
        byte[] octets = concat(new byte[] {0x04}, derLength(pkcs1.length), pkcs1);
        byte[] body = concat(RSA_ALGORITHM, octets);
        return concat(new byte[] {0x30}, derLength(body.length), body);
    }

    private static byte[] derLength(int length) {
        if (length < 0x80) {
            return new byte[] {(byte) length};
        }
        if (length < 0x100) {
            return new byte[] {(byte) 0x81, (byte) length};
        }
        if (length < 0x10000) {
            return new byte[] {(byte) 0x82, (byte) (length >> 8), (byte) length};
        }
        return new byte[] {(byte) 0x83, (byte) (length >> 16), (byte) (length >> 8), (byte) length};
    }

    private static byte[] concat(byte[]... parts) {
        int size = 0;
        for (byte[] p : parts) {
            size += p.length;
        }
        byte[] out = new byte[size];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, java.nio.charset.StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new OvsdbException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
