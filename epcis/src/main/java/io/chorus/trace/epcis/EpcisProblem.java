package io.chorus.trace.epcis;

/**
 * One thing wrong with an EPCIS document: where, as a JSON pointer into the document as sent
 * ({@code /epcisBody/eventList/3/epcList/0}; empty for the whole document), and what to send.
 */
public record EpcisProblem(String pointer, String message) {
  @Override
  public String toString() {
    return (pointer.isEmpty() ? "(document)" : pointer) + ": " + message;
  }
}
