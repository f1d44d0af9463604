package io.chorus.trace.epcis;

/**
 * The bounds on what {@link EpcisReader} accepts, so that one request cannot take a node's
 * memory or time: the capture service advertises the first two (GS1-EPCIS-Capture-Limit and
 * GS1-EPCIS-Capture-File-Size-Limit).
 *
 * @param documentBytesMax a document's size as sent
 * @param eventsMax events in one document
 * @param depthMax nesting of JSON objects and arrays (extensions may nest)
 * @param problemsMax problems listed in one refusal; the rest are counted
 */
public record EpcisLimits(int documentBytesMax, int eventsMax, int depthMax, int problemsMax) {
  public static final int DOCUMENT_BYTES_MAX_DEFAULT = 16 * 1024 * 1024;
  public static final int EVENTS_MAX_DEFAULT = 10_000;
  public static final int DEPTH_MAX_DEFAULT = 32;
  public static final int PROBLEMS_MAX_DEFAULT = 100;

  public EpcisLimits {
    if (documentBytesMax < 1024 || eventsMax < 1 || depthMax < 8 || problemsMax < 1) {
      throw new IllegalArgumentException("EPCIS limits too small: documentBytesMax >= 1024,"
          + " eventsMax >= 1, depthMax >= 8, problemsMax >= 1");
    }
  }

  public static EpcisLimits defaults() {
    return new EpcisLimits(DOCUMENT_BYTES_MAX_DEFAULT, EVENTS_MAX_DEFAULT, DEPTH_MAX_DEFAULT,
        PROBLEMS_MAX_DEFAULT);
  }
}
