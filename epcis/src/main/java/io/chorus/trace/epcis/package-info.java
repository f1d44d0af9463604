/**
 * GS1 EPCIS 2.0 in its JSON-LD binding: {@link io.chorus.trace.epcis.EpcisReader} reads and checks
 * documents and events into {@link io.chorus.trace.epcis.EpcisEvent}s, each named by its CBV 2.0
 * {@link io.chorus.trace.epcis.EventHashId}.
 */
package io.chorus.trace.epcis;
