package io.chorus.consensus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.codec.ByteKey;
import io.chorus.consensus.CommitCertificate.Seal;
import io.chorus.consensus.sim.FakeAuth;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.KeyPair;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Goal: a certificate proves finality only with a quorum of distinct validators' seals over its
 * own (height, round, digest), and says why otherwise. Method: one valid certificate, then one
 * fault at a time; the same with the real ethereum suite.
 */
class CommitCertificateTest {
  private static final FakeAuth AUTH = new FakeAuth(4, 7);
  private static final byte[] DIGEST = AUTH.hash(new byte[] {42});

  private static Seal seal(int validator, long height, int round, byte[] digest) {
    byte[] signed = AUTH.hash(MessageCodec.sealBody(height, round, digest));
    return new Seal(AUTH.validators().get(validator).address(),
        AUTH.signer(validator).sign(signed));
  }

  private static CommitCertificate certificate(List<Seal> seals) {
    return new CommitCertificate(9, 2, DIGEST, seals);
  }

  private static List<Seal> seals(int... validators) {
    List<Seal> out = new ArrayList<>();
    for (int v : validators) {
      out.add(seal(v, 9, 2, DIGEST));
    }
    return out;
  }

  private static String problem(CommitCertificate certificate) {
    return certificate.verify(AUTH.validators(), AUTH).orElse("ok");
  }

  @Test
  void quorumOfDistinctSealsVerifiesAndRoundTrips() {
    CommitCertificate good = certificate(seals(0, 2, 3));
    assertEquals("ok", problem(good));
    CommitCertificate decoded = CommitCertificate.decode(good.encode());
    assertArrayEquals(good.encode(), decoded.encode());
    assertEquals("ok", problem(decoded));
  }

  @Test
  void eachFaultIsNamed() {
    assertEquals("2 seals, quorum is 3", problem(certificate(seals(0, 2))));
    assertTrue(problem(certificate(seals(0, 2, 2))).startsWith("two seals by"));
    List<Seal> outsider = seals(0, 1);
    outsider.add(new Seal(new ByteKey(new byte[20]), outsider.get(0).signature()));
    assertTrue(problem(certificate(outsider)).startsWith("seal by non-validator"));
    List<Seal> wrongRound = seals(0, 1);
    wrongRound.add(seal(3, 9, 1, DIGEST));
    assertTrue(problem(certificate(wrongRound)).startsWith("bad seal signature"));
    List<Seal> stolen = seals(0, 1);
    stolen.add(new Seal(AUTH.validators().get(3).address(), stolen.get(0).signature()));
    assertTrue(problem(certificate(stolen)).startsWith("bad seal signature"));
    CommitCertificate otherBlock = new CommitCertificate(9, 2, AUTH.hash(new byte[] {1}),
        seals(0, 1, 2));
    assertTrue(problem(otherBlock).startsWith("bad seal signature"));
  }

  @Test
  void realSuiteSealsVerifyAndTamperedOnesDoNot() {
    CryptoSuite suite = CryptoSuite.ethereum();
    SignatureVerifier verifier = CryptoVerifier.forChain(suite, BigInteger.ONE, new byte[32]);
    List<ValidatorSet.Validator> list = new ArrayList<>();
    List<CryptoSigner> signers = new ArrayList<>();
    for (int i = 1; i <= 4; i++) {
      byte[] secret = new byte[32];
      secret[31] = (byte) i;
      KeyPair keys = suite.keyPair(secret);
      signers.add(new CryptoSigner(suite, keys));
      list.add(new ValidatorSet.Validator(signers.getLast().address(), keys.publicKey()));
    }
    ValidatorSet set = new ValidatorSet(list);
    byte[] signed = verifier.hash(MessageCodec.sealBody(3, 0, DIGEST));
    List<Seal> seals = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      seals.add(new Seal(signers.get(i).address(), signers.get(i).sign(signed)));
    }
    assertEquals(Optional.empty(),
        new CommitCertificate(3, 0, DIGEST, seals).verify(set, verifier));
    assertTrue(new CommitCertificate(4, 0, DIGEST, seals).verify(set, verifier).isPresent());
    // The same validators' seals for the same digest, made on another chain, prove nothing here.
    byte[] otherGenesis = new byte[32];
    otherGenesis[0] = 1;
    for (SignatureVerifier other : List.of(
        CryptoVerifier.forChain(suite, BigInteger.TWO, new byte[32]),
        CryptoVerifier.forChain(suite, BigInteger.ONE, otherGenesis))) {
      assertEquals(Optional.of("bad seal signature by " + seals.getFirst().address()),
          new CommitCertificate(3, 0, DIGEST, seals).verify(set, other));
    }
  }

  @Test
  void malformedBytesFailWithTheDocumentedException() {
    byte[] good = certificate(seals(0, 1, 2)).encode();
    for (int length = 0; length < good.length; length++) {
      byte[] cut = java.util.Arrays.copyOf(good, length);
      assertThrows(MalformedMessageException.class, () -> CommitCertificate.decode(cut));
    }
  }
}
