package dev.corral.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.corral.common.FakeClock;
import dev.corral.state.MemoryStore;
import java.time.Duration;
import java.util.Date;
import org.junit.jupiter.api.Test;

class TokensTest {
  private final FakeClock clock = new FakeClock();
  private final MemoryStore store = new MemoryStore();
  private final Tokens tokens = Tokens.fromStore(store, clock);

  @Test
  void anIssuedTokenVerifiesUntilItExpires() throws Exception {
    String token = tokens.issue("alice", Duration.ofHours(1));
    Tokens.Claims claims = tokens.verify(token);
    assertThat(claims.uid()).isEqualTo("alice");
    assertThat(claims.jti()).isNotBlank();
    assertThat(claims.internal()).isFalse();
    clock.advance(Duration.ofMinutes(59));
    assertThat(tokens.verify(token).uid()).isEqualTo("alice");
    clock.advance(Duration.ofMinutes(1));
    assertThatThrownBy(() -> tokens.verify(token)).isInstanceOf(TokenException.class)
        .hasFieldOrPropertyWithValue("code", "ERR_EXPIRED_TOKEN");
  }

  @Test
  void theKeyIsKeptInTheStoreSoAnotherMasterAcceptsTheToken() throws Exception {
    String token = tokens.issue("alice", Duration.ofHours(1));
    assertThat(Tokens.fromStore(store, clock).verify(token).uid()).isEqualTo("alice");
  }

  @Test
  void aTokenOfAnotherClusterOrTamperedWithIsRefused() throws Exception {
    Tokens other = Tokens.fromStore(new MemoryStore(), clock);
    String foreign = other.issue("alice", Duration.ofHours(1));
    assertThatThrownBy(() -> tokens.verify(foreign)).hasFieldOrPropertyWithValue("code", "ERR_INVALID_SIGNATURE");
    String token = tokens.issue("alice", Duration.ofHours(1));
    String[] parts = token.split("\\.");
    String forged = parts[0] + "." + tokens.issue("root", Duration.ofHours(1)).split("\\.")[1] + "." + parts[2];
    assertThat(tokens.verify(token).uid()).isEqualTo("alice"); // the genuine one is now known (cached)
    assertThatThrownBy(() -> tokens.verify(forged)).hasFieldOrPropertyWithValue("code", "ERR_INVALID_SIGNATURE");
    assertThatThrownBy(() -> tokens.verify(forged)).hasFieldOrPropertyWithValue("code", "ERR_INVALID_SIGNATURE");
    assertThatThrownBy(() -> tokens.verify("not-a-jwt")).hasFieldOrPropertyWithValue("code", "ERR_INVALID_TOKEN");
  }

  @Test
  void aServiceLoginTokenMustBeSignedByTheAccountsKeyNameItAndExpire() throws Exception {
    RSAKey key = Tokens.generateKey();
    String good = serviceToken(key, "svc", Duration.ofMinutes(5));
    Tokens.verifyServiceLogin(good, "svc", key.toRSAPublicKey(), clock);
    assertThatThrownBy(() -> Tokens.verifyServiceLogin(good, "other", key.toRSAPublicKey(), clock))
        .hasMessageContaining("uid claim");
    RSAKey wrong = Tokens.generateKey();
    assertThatThrownBy(() -> Tokens.verifyServiceLogin(good, "svc", wrong.toRSAPublicKey(), clock))
        .hasFieldOrPropertyWithValue("code", "ERR_INVALID_SIGNATURE");
    clock.advance(Duration.ofMinutes(6));
    assertThatThrownBy(() -> Tokens.verifyServiceLogin(good, "svc", key.toRSAPublicKey(), clock))
        .hasFieldOrPropertyWithValue("code", "ERR_EXPIRED_TOKEN");
  }

  private String serviceToken(RSAKey key, String uid, Duration ttl) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), new JWTClaimsSet.Builder().claim("uid", uid)
        .expirationTime(Date.from(clock.instant().plus(ttl))).build());
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }
}
