package io.chorus.evm.trace;

import java.util.Map;

/** The tracers a node offers for {@code debug_traceTransaction}, chosen as Geth chooses them. */
public final class Tracers {
  public static final String CALL_TRACER = "callTracer";

  private Tracers() {}

  /**
   * The tracer a Geth {@code TraceConfig} object asks for, parsed into a map: no {@code tracer}
   * (or an empty one) selects the struct logger with the config's {@code disableStack},
   * {@code disableStorage}, {@code enableMemory}, {@code enableReturnData} and {@code limit};
   * {@code "callTracer"} takes {@code onlyTopCall} and {@code withLog} from
   * {@code tracerConfig}. Other keys (timeout, reexec) are the caller's business.
   *
   * @throws IllegalArgumentException naming an unknown tracer or a malformed option
   */
  public static JsonTracer fromConfig(Map<String, ?> traceConfig) {
    Object name = traceConfig.get("tracer");
    if (name == null || "".equals(name)) {
      return new StructLogger(new StructLogger.Options(flag(traceConfig, "disableStack"),
          flag(traceConfig, "disableStorage"), flag(traceConfig, "enableMemory"),
          flag(traceConfig, "enableReturnData"), limit(traceConfig)));
    }
    if (CALL_TRACER.equals(name)) {
      Map<?, ?> config = switch (traceConfig.get("tracerConfig")) {
        case null -> Map.of();
        case Map<?, ?> map -> map;
        case Object other -> throw new IllegalArgumentException(
            "tracerConfig must be an object, got " + other);
      };
      return new CallTracer(new CallTracer.Options(flag(config, "onlyTopCall"),
          flag(config, "withLog")));
    }
    throw new IllegalArgumentException("tracer " + name + " is not supported: use "
        + CALL_TRACER + ", or no tracer for the struct logger");
  }

  private static boolean flag(Map<?, ?> config, String key) {
    return switch (config.get(key)) {
      case null -> false;
      case Boolean value -> value;
      case Object other -> throw new IllegalArgumentException(
          key + " must be true or false, got " + other);
    };
  }

  private static int limit(Map<?, ?> config) {
    Object value = config.get("limit");
    if (value == null) {
      return 0;
    }
    if (!(value instanceof Integer || value instanceof Long)
        || ((Number) value).longValue() < 0
        || ((Number) value).longValue() > StructLogger.LIMIT_MAX) {
      throw new IllegalArgumentException("limit must be a whole number from 0 to "
          + StructLogger.LIMIT_MAX + ", got " + value);
    }
    return ((Number) value).intValue();
  }
}
