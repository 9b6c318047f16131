package dev.corral.gateway.tls;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.common.Json;
import dev.corral.state.Store;
import dev.corral.state.StoreOp;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The cluster's own certificate authority (ECDSA P-256, 10 years), created by the first master started with
 * {@code --tls} and kept in the store ({@code /auth/ca}); each master issues itself a server certificate from
 * it on start, for its host name and addresses. The CLI trusts the CA's certificate from its context.
 * Immutable.
 */
public final class ClusterCa {
  static final String PATH = "/auth/ca";

  /** A server certificate chain (server, then CA) and its key, PEM. */
  public record Issued(String certChainPem, String keyPem) {}

  private final X509Certificate cert;
  private final PrivateKey key;
  private final Clock clock;

  private ClusterCa(X509Certificate cert, PrivateKey key, Clock clock) {
    this.cert = cert;
    this.key = key;
    this.clock = clock;
  }

  public static ClusterCa loadOrCreate(Store store, Clock clock) {
    var stored = store.get(PATH);
    if (stored.isPresent()) {
      try {
        var json = Json.mapper().readTree(stored.get());
        return new ClusterCa(Pem.certificates(json.path("cert").asText()).get(0),
            Pem.privateKey(json.path("key").asText()), clock);
      } catch (java.io.IOException e) {
        throw new IllegalStateException("the cluster CA in the store at " + PATH + " is unreadable: " + e.getMessage());
      }
    }
    ClusterCa ca = create(clock);
    ObjectNode json = Json.mapper().createObjectNode().put("cert", ca.certPem()).put("key", Pem.writeKey(ca.key));
    store.commitAndWait(List.of(StoreOp.put(PATH, json.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8))));
    return ca;
  }

  static ClusterCa create(Clock clock) {
    try {
      KeyPair pair = ecKeyPair();
      X500Name name = new X500Name("CN=Corral cluster CA");
      Instant now = clock.instant();
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(), Date.from(now.minus(Duration.ofHours(1))),
          Date.from(now.plus(Duration.ofDays(3650))), name, pair.getPublic());
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
      return new ClusterCa(sign(b, pair.getPrivate()), pair.getPrivate(), clock);
    } catch (Exception e) {
      throw new IllegalStateException("cannot create the cluster CA: " + e.getMessage(), e);
    }
  }

  public String certPem() {
    return Pem.write(cert);
  }

  /** A server certificate for these host names and IP addresses (1 year), signed by this CA. */
  public Issued issueServer(Collection<String> names) {
    try {
      KeyPair pair = ecKeyPair();
      Set<String> unique = new LinkedHashSet<>(names);
      List<GeneralName> sans = new ArrayList<>();
      for (String n : unique) {
        sans.add(isAddress(n) ? new GeneralName(GeneralName.iPAddress, n) : new GeneralName(GeneralName.dNSName, n));
      }
      Instant now = clock.instant();
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(cert, serial(), Date.from(now.minus(Duration.ofHours(1))),
          Date.from(now.plus(Duration.ofDays(365))), new X500Name("CN=" + unique.iterator().next()), pair.getPublic());
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
      b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(GeneralName[]::new)));
      b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(cert));
      X509Certificate server = sign(b, key);
      return new Issued(Pem.write(server, cert), Pem.writeKey(pair.getPrivate()));
    } catch (Exception e) {
      throw new IllegalStateException("cannot issue the gateway's certificate: " + e.getMessage(), e);
    }
  }

  private static boolean isAddress(String n) {
    if (n.isEmpty() || !(Character.isDigit(n.charAt(0)) || n.contains(":"))) {
      return false;
    }
    try {
      return InetAddress.getByName(n).getHostAddress() != null && n.matches("[0-9a-fA-F:.]+");
    } catch (Exception e) {
      return false;
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signer) throws Exception {
    ContentSigner s = new JcaContentSignerBuilder("SHA256withECDSA").build(signer);
    return new JcaX509CertificateConverter().getCertificate(b.build(s));
  }

  private static KeyPair ecKeyPair() throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
    gen.initialize(new ECGenParameterSpec("secp256r1"));
    return gen.generateKeyPair();
  }

  private static BigInteger serial() {
    return new BigInteger(64, new SecureRandom()).abs().add(BigInteger.ONE);
  }
}
