/**
 * Traceability (产品溯源/防伪) on GS1 EPCIS 2.0 and CBV 2.0: EPCIS documents and events read
 * and checked, their CBV event hash IDs, and the service that anchors captured events on the
 * consortium chain.
 */
package io.chorus.trace;
