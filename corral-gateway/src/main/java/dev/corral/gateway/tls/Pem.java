package dev.corral.gateway.tls;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/** PEM in and out (certificates, PKCS#1/PKCS#8/EC private keys), and the key and trust stores built from it. */
public final class Pem {
  /** The in-memory key store's password; it never leaves the process. */
  public static final char[] STORE_PASSWORD = "corral".toCharArray();

  private Pem() {}

  public static String write(Object... objects) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
      for (Object o : objects) {
        pem.writeObject(o);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** A private key as PKCS#8 ({@code BEGIN PRIVATE KEY}), which every reader (the JDK's too) understands. */
  public static String writeKey(PrivateKey key) {
    return "-----BEGIN PRIVATE KEY-----\n" + java.util.Base64.getMimeEncoder(64, "\n".getBytes())
        .encodeToString(key.getEncoded()) + "\n-----END PRIVATE KEY-----\n";
  }

  public static List<X509Certificate> certificates(String pem) {
    List<X509Certificate> out = new ArrayList<>();
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object o;
      while ((o = parser.readObject()) != null) {
        if (o instanceof X509CertificateHolder holder) {
          out.add(new JcaX509CertificateConverter().getCertificate(holder));
        }
      }
    } catch (Exception e) {
      throw new IllegalArgumentException("not PEM certificates: " + e.getMessage(), e);
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("no certificate in the PEM");
    }
    return out;
  }

  public static PrivateKey privateKey(String pem) {
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object o;
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      while ((o = parser.readObject()) != null) {
        if (o instanceof PEMKeyPair pair) {
          return converter.getPrivateKey(pair.getPrivateKeyInfo());
        }
        if (o instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
      }
    } catch (Exception e) {
      throw new IllegalArgumentException("not a PEM private key: " + e.getMessage(), e);
    }
    throw new IllegalArgumentException("no unencrypted private key in the PEM");
  }

  /** A key store holding one key with its certificate chain, for the HTTPS server. */
  public static KeyStore keyStore(String certChainPem, String keyPem) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("gateway", privateKey(keyPem), STORE_PASSWORD,
          certificates(certChainPem).toArray(Certificate[]::new));
      return store;
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalArgumentException("cannot use the certificate and key: " + e.getMessage(), e);
    }
  }

  /** A client SSL context that trusts exactly the certificates in {@code caPem}. */
  public static SSLContext trusting(String caPem) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      int i = 0;
      for (X509Certificate c : certificates(caPem)) {
        store.setCertificateEntry("ca-" + i++, c);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(null, tmf.getTrustManagers(), null);
      return ssl;
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
