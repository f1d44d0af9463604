package io.chorus.trace.epcis;

import java.util.ArrayList;
import java.util.List;

/** The problems found in one document, up to a bound; those past it are only counted. */
final class Problems {
  private final List<EpcisProblem> found = new ArrayList<>();
  private final int max;
  private int total;

  Problems(int max) {
    this.max = max;
  }

  void add(String pointer, String message) {
    total++;
    if (found.size() < max) {
      found.add(new EpcisProblem(pointer, message));
    }
  }

  int count() {
    return total;
  }

  EpcisException toException() {
    List<EpcisProblem> listed = new ArrayList<>(found);
    if (total > found.size()) {
      listed.add(new EpcisProblem("", (total - found.size()) + " more problems not listed"));
    }
    return new EpcisException(EpcisException.Kind.INVALID, listed);
  }

  /** {@code parent} with one more reference token, escaped as RFC 6901 asks. */
  static String pointer(String parent, String token) {
    // Built for every field read, so the common token with nothing to escape skips the scans.
    if (token.indexOf('~') < 0 && token.indexOf('/') < 0) {
      return parent + "/" + token;
    }
    return parent + "/" + token.replace("~", "~0").replace("/", "~1");
  }

  static String pointer(String parent, int index) {
    return parent + "/" + index;
  }
}
