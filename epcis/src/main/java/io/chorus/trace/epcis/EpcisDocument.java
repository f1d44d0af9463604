package io.chorus.trace.epcis;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/**
 * A checked EPCISDocument (capture) or EPCISQueryDocument (query results), its events in order.
 *
 * @param kind which of the two it is
 * @param schemaVersion {@code 2.0}
 * @param creationDate when the sender made it; null only in a query document that gives none
 * @param queryName the query's name in a query document, else null
 * @param subscriptionId the subscription in a query document, else null
 * @param namespaces the prefixes its {@code @context} declares, for its extension fields
 * @param events its events
 * @param json the document as parsed (not to be changed): each event's {@link
 *     EpcisEvent#json()} is its node
 */
public record EpcisDocument(Kind kind, String schemaVersion, Instant creationDate,
    String queryName, String subscriptionId, Namespaces namespaces, List<EpcisEvent> events,
    ObjectNode json) {

  /** The two document types of the EPCIS 2.0 JSON binding. */
  public enum Kind { EPCISDocument, EPCISQueryDocument }
}
