package io.chorus.service;

import java.util.List;

/**
 * A service's part of the console's search ({@code chorus_search}): what a query names among
 * the service's own records (a notarization record's id or digest, a traceability code, ...).
 * A {@link io.chorus.rpc.rest.RestService} that also implements this interface is asked every
 * query; the node's own resolvers (blocks, transactions, addresses, contract names) run
 * beside it.
 */
@FunctionalInterface
public interface SearchProvider {
  /** The longest query a provider is given, in characters; a longer one is refused before. */
  int QUERY_CHARS_MAX = 256;

  /**
   * What {@code query} names, best first; empty when nothing. A query in a form the service
   * does not use is answered empty, never with an error.
   *
   * @param query trimmed, non-empty, at most {@link #QUERY_CHARS_MAX} characters, without
   *     control characters
   */
  List<SearchMatch> search(String query);
}
