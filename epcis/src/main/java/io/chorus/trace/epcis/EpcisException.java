package io.chorus.trace.epcis;

import java.util.List;

/**
 * An EPCIS document or event that cannot be captured, with every problem found (up to a bound)
 * and where each is. The only exception {@link EpcisReader} throws on bad input: the capture
 * service turns it into a 4xx naming the fields ({@link Kind#TOO_LARGE} a 413).
 */
public final class EpcisException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why the input is refused. */
  public enum Kind {
    /** Not JSON, or JSON that repeats a key. */
    MALFORMED,
    /** Over a bound of {@link EpcisLimits}: bytes, events, nesting depth. */
    TOO_LARGE,
    /** JSON that breaks a rule of EPCIS 2.0 / CBV 2.0. */
    INVALID
  }

  private final Kind kind;
  private final transient List<EpcisProblem> problems;

  EpcisException(Kind kind, List<EpcisProblem> problems) {
    super(summary(problems), null, false, false);
    this.kind = kind;
    this.problems = List.copyOf(problems);
  }

  static EpcisException of(Kind kind, String pointer, String message) {
    return new EpcisException(kind, List.of(new EpcisProblem(pointer, message)));
  }

  public Kind kind() {
    return kind;
  }

  /** Each problem with its JSON pointer, in document order; never empty. */
  public List<EpcisProblem> problems() {
    return problems;
  }

  private static String summary(List<EpcisProblem> problems) {
    StringBuilder text = new StringBuilder();
    for (EpcisProblem problem : problems) {
      text.append(text.isEmpty() ? "" : "; ").append(problem);
    }
    return text.toString();
  }
}
