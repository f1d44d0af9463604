package io.chorus.rpc.eth;

import io.chorus.codec.ByteKey;
import io.chorus.consensus.ValidatorSet;
import io.chorus.evm.Address;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the chain records of one validator over the last blocks: the blocks it proposed and
 * sealed, the rounds it led that failed, and the {@code signed} string. From stored blocks and
 * certificates alone, so it is the same after a restart.
 *
 * @param lastProposed the newest block it proposed within the last {@link Sealings#KEPT_MAX}
 *     blocks, or -1
 * @param lastSigned the newest block whose certificate it sealed within them, or -1
 * @param missedRounds rounds it led in the window that did not decide their block: height h
 *     decided in round r means rounds 0..r-1 failed, led by {@code proposer(h, 0..r-1)}
 * @param signed one character per block of the window, oldest first: {@code 1} it sealed the
 *     block's certificate, {@code 0} it was a validator and did not, {@code -} it was not a
 *     validator of that height or the block has no certificate (a dev block)
 * @param sealsExpected whether any of the last {@link #LOOKBACK_BLOCKS} blocks has a certificate
 *     it could have sealed
 * @param sealedRecently whether it sealed one of them
 */
record SealHistory(long lastProposed, long lastSigned, int missedRounds, String signed,
    boolean sealsExpected, boolean sealedRecently) {
  /**
   * Blocks in which a validator that is up seals at least once. A certificate holds the first
   * quorum of seals its node collected, so with 4 validators a healthy one is left out of about
   * one certificate in three; 16 in a row does not happen by chance.
   */
  static final int LOOKBACK_BLOCKS = 16;

  /**
   * The history of each of {@code validators} at head {@code head}: a scan down from the head
   * that stops once the window and look-back are covered and every validator's last proposal and
   * seal is found, or at the oldest kept height.
   */
  static Map<Address, SealHistory> of(Sealings sealings, long head, int window,
      List<Address> validators) {
    Map<Address, Scan> scans = new HashMap<>();
    validators.forEach(v -> scans.put(v, new Scan(window)));
    long windowStart = Math.max(1, head - window + 1);
    long lookbackStart = Math.max(1, head - LOOKBACK_BLOCKS + 1);
    long oldest = Math.max(1, head - Sealings.KEPT_MAX + 1);
    int unfound = validators.size();
    for (long n = head; n >= oldest; n--) {
      if (n < windowStart && n < lookbackStart && unfound == 0) {
        break;
      }
      Sealings.Sealing s = sealings.at(n);
      unfound = 0;
      for (Map.Entry<Address, Scan> e : scans.entrySet()) {
        Scan scan = e.getValue();
        scan.see(e.getKey(), s, n >= windowStart, n >= lookbackStart);
        if (scan.lastProposed < 0 || scan.lastSigned < 0) {
          unfound++;
        }
      }
    }
    Map<Address, SealHistory> out = new HashMap<>();
    scans.forEach((v, scan) -> out.put(v, scan.history()));
    return out;
  }

  /** One validator's scan, newest block first. */
  private static final class Scan {
    private final List<Character> newestFirst;
    long lastProposed = -1;
    long lastSigned = -1;
    int missedRounds;
    boolean sealsExpected;
    boolean sealedRecently;

    Scan(int window) {
      newestFirst = new ArrayList<>(window);
    }

    void see(Address v, Sealings.Sealing s, boolean inWindow, boolean recent) {
      boolean signed = s.signers().contains(v);
      if (lastProposed < 0 && v.equals(s.proposer())) {
        lastProposed = s.number();
      }
      if (lastSigned < 0 && signed) {
        lastSigned = s.number();
      }
      boolean couldSign = s.certified() && s.member(v);
      if (inWindow) {
        newestFirst.add(!couldSign ? '-' : signed ? '1' : '0');
        missedRounds += failedRoundsLed(v, s);
      }
      if (recent && couldSign) {
        sealsExpected = true;
        sealedRecently |= signed;
      }
    }

    SealHistory history() {
      StringBuilder signed = new StringBuilder(newestFirst.size());
      for (int i = newestFirst.size() - 1; i >= 0; i--) {
        signed.append(newestFirst.get(i));
      }
      return new SealHistory(lastProposed, lastSigned, missedRounds, signed.toString(),
          sealsExpected, sealedRecently);
    }
  }

  /**
   * The rounds below the deciding one that {@code v} led. Proposers rotate with period n in the
   * round, so rounds 0..n-1 are asked of {@link ValidatorSet#proposer} and each match counts
   * once per cycle: a certificate's round may be large (up to {@code Limits.ROUND_MAX}).
   */
  private static int failedRoundsLed(Address v, Sealings.Sealing s) {
    int failed = s.round();
    if (failed <= 0) {
      return 0;
    }
    ValidatorSet set = s.validators();
    ByteKey key = new ByteKey(v.toArray());
    int led = 0;
    for (int round = 0; round < Math.min(failed, set.size()); round++) {
      if (set.proposer(s.number(), round).equals(key)) {
        led += (failed - 1 - round) / set.size() + 1;
      }
    }
    return led;
  }
}
