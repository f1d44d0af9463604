package io.chorus.trace.epcis;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * One checked EPCIS 2.0 event, with what an index needs already pulled out. Identifiers (EPCs,
 * classes, locations, parties) are in their canonical GS1 Digital Link form when they are GS1
 * keys ({@link Gs1Identifiers#canonical}), standard vocabulary (bizStep, disposition, types) in
 * CBV 2.0 Web URI form ({@link CbvVocabulary}); {@link #json()} keeps the event as sent.
 *
 * @param pointer where the event is in the document it came in ({@code /epcisBody/eventList/3})
 * @param type one of the five EPCIS event types
 * @param eventTime when it happened
 * @param eventTimeZoneOffset the offset the event was recorded in, e.g. {@code +08:00}
 * @param recordTime the time the capturer gave, or null (the capturing node sets its own)
 * @param eventId the event's own ID as sent, or null
 * @param hashId the CBV 2.0 event hash ID ({@code ni:///sha-256;...?ver=CBV2.0})
 * @param action ADD, OBSERVE or DELETE; null only for a TransformationEvent
 * @param bizStep the business step's Web URI, or null
 * @param disposition the disposition's Web URI, or null
 * @param persistentDispositionSet dispositions the event sets until unset
 * @param persistentDispositionUnset dispositions the event unsets
 * @param readPoint the read point's ID, or null
 * @param bizLocation the business location's ID, or null
 * @param epcs every instance identifier, each with its role
 * @param quantities every class-level quantity, each with its role
 * @param transformationId the transformation ID, or null
 * @param bizTransactions business transactions
 * @param sources sources
 * @param destinations destinations
 * @param certificationInfo certification URIs
 * @param errorDeclaration set when this event declares an earlier one in error, else null
 * @param json the event as sent (not to be changed)
 */
public record EpcisEvent(
    String pointer,
    EventType type,
    Instant eventTime,
    String eventTimeZoneOffset,
    Instant recordTime,
    String eventId,
    String hashId,
    Action action,
    String bizStep,
    String disposition,
    List<String> persistentDispositionSet,
    List<String> persistentDispositionUnset,
    String readPoint,
    String bizLocation,
    List<Epc> epcs,
    List<Quantity> quantities,
    String transformationId,
    List<TypedId> bizTransactions,
    List<TypedId> sources,
    List<TypedId> destinations,
    List<String> certificationInfo,
    ErrorDeclaration errorDeclaration,
    ObjectNode json) {

  /** The five event types of EPCIS 2.0. */
  public enum EventType {
    ObjectEvent, AggregationEvent, TransactionEvent, TransformationEvent, AssociationEvent
  }

  /** What an event says happened to its objects (EPCIS 2.0 section 7.3.2). */
  public enum Action { ADD, OBSERVE, DELETE }

  /**
   * The part an identifier plays: {@code epcList} (EPC), {@code parentID} (PARENT),
   * {@code childEPCs} (CHILD), {@code inputEPCList} (INPUT), {@code outputEPCList} (OUTPUT).
   */
  public enum Role { EPC, PARENT, CHILD, INPUT, OUTPUT }

  /** An instance identifier and its role. */
  public record Epc(Role role, String id) {
  }

  /**
   * A quantity of a class: {@code quantityList} (EPC role), {@code childQuantityList} (CHILD),
   * {@code inputQuantityList} (INPUT), {@code outputQuantityList} (OUTPUT).
   *
   * @param quantity null when not given (a count-less mention of the class)
   * @param uom the UN/CEFACT unit code, or null for a count of instances
   */
  public record Quantity(Role role, String epcClass, BigDecimal quantity, String uom) {
  }

  /** A business transaction, source or destination: its ID and its type's URI (or null). */
  public record TypedId(String type, String id) {
  }

  /** The declaration that an earlier event was in error (EPCIS 2.0 section 7.4.1.4). */
  public record ErrorDeclaration(Instant declarationTime, String reason,
      List<String> correctiveEventIds) {
  }

  /**
   * This event as a node reads it back from its capture's batch ({@link
   * EpcisReader#readEvent(ObjectNode)} of {@code element}, the event with its document's
   * context): at no place in a document, {@code element} its JSON.
   */
  public EpcisEvent inBatch(ObjectNode element) {
    return new EpcisEvent("", type, eventTime, eventTimeZoneOffset, recordTime, eventId, hashId,
        action, bizStep, disposition, persistentDispositionSet, persistentDispositionUnset,
        readPoint, bizLocation, epcs, quantities, transformationId, bizTransactions, sources,
        destinations, certificationInfo, errorDeclaration, element);
  }

  /** The identifiers with {@code role}, in document order. */
  public List<String> epcs(Role role) {
    return epcs.stream().filter(epc -> epc.role() == role).map(Epc::id).toList();
  }
}
