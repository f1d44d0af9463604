package io.chorus.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.evm.Address;
import io.chorus.service.TransactionSubmitter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptureJobsTest {
  @TempDir Path dir;

  private static CaptureJobs.Sent sent(int i) {
    return new CaptureJobs.Sent(new TransactionSubmitter.Submitted(new byte[] {(byte) i, 7},
        Address.parse("0x" + "ab".repeat(20)), i), 256 * i, 256);
  }

  @Test
  void theNewestJobsOutliveARestartAndTheOldestAreForgottenFirst() {
    List<String> ids = new ArrayList<>();
    Instant at = Instant.parse("2026-12-06T08:00:00Z");
    try (CaptureJobs jobs = new CaptureJobs(dir)) {
      for (int i = 0; i < CaptureJobs.JOBS_MAX + 2; i++) {
        ids.add(jobs.add(at.plusSeconds(i), "rollback", List.of(sent(i)), List.of(),
            i % 2 == 0 ? List.of() : List.of("org1")).id());
      }
    }
    try (CaptureJobs jobs = new CaptureJobs(dir)) {
      assertTrue(jobs.get(ids.get(0)).isEmpty(), "the oldest is forgotten");
      assertTrue(jobs.get(ids.get(1)).isEmpty());
      CaptureJobs.Job kept = jobs.get(ids.get(2)).orElseThrow();
      assertEquals(at.plusSeconds(2), kept.createdAt());
      assertEquals(512, kept.sent().getFirst().first());
      assertEquals(2, kept.sent().getFirst().tx().nonce());
      assertEquals(List.of(), kept.visibleTo());
      assertEquals(List.of("org1"), jobs.get(ids.get(3)).orElseThrow().visibleTo());
      assertEquals(ids.reversed().subList(0, 3), jobs.newest(3).stream()
          .map(CaptureJobs.Job::id).toList(), "newest first");
      String after = jobs.add(at, "proceed", List.of(sent(9)), List.of(), List.of()).id();
      assertEquals(after, jobs.newest(1).getFirst().id(), "numbered after the reopened ones");
      assertTrue(jobs.get(ids.get(2)).isEmpty());
    }
  }
}
