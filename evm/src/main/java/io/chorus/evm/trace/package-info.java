/**
 * Geth-compatible tracers for {@code debug_traceTransaction}. A node re-executes the block's
 * earlier transactions on a copy of the parent state, then the traced one with a tracer:
 *
 * <pre>{@code
 * JsonTracer tracer = Tracers.fromConfig(traceConfig); // the RPC's TraceConfig as a Map
 * transition.apply(state, tx, sender, blockEnv, tracer); // on a thread of Evm.STACK_BYTES
 * Map<String, Object> result = tracer.result();          // serialize with Jackson as is
 * }</pre>
 *
 * <p>{@link io.chorus.evm.trace.TraceLimitException} from {@code result()} means the trace
 * outgrew its bounds; answer it as a JSON-RPC error carrying its message. A deep callTracer
 * result nests two JSON levels per frame, up to 1025 frames: a JSON writer with a nesting limit
 * (Jackson's {@code StreamWriteConstraints}, 1000 by default) must allow about 2100.
 */
package io.chorus.evm.trace;
