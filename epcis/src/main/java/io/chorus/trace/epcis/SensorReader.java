package io.chorus.trace.epcis;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks sensorElementList (EPCIS 2.0 section 7.3.9): each element has sensorReport (at least
 * one) and perhaps sensorMetadata, their fields typed as the JSON schema says, extensions
 * namespaced.
 */
final class SensorReader {
  private static final List<String> METADATA_URIS = List.of("deviceID", "deviceMetadata",
      "rawData", "dataProcessingMethod", "bizRules");
  private static final List<String> METADATA_TIMES = List.of("time", "startTime", "endTime");
  private static final List<String> REPORT_URIS = List.of("deviceID", "deviceMetadata",
      "rawData", "dataProcessingMethod", "bizRules", "microorganism", "chemicalSubstance",
      "coordinateReferenceSystem", "uriValue");
  private static final List<String> REPORT_DECIMALS = List.of("value", "minValue", "maxValue",
      "meanValue", "sDev", "percRank", "percValue");
  private static final Set<String> REPORT_FIELDS = Set.of("type", "exception", "time",
      "component", "stringValue", "booleanValue", "hexBinaryValue", "uom", "deviceID",
      "deviceMetadata", "rawData", "dataProcessingMethod", "bizRules", "microorganism",
      "chemicalSubstance", "coordinateReferenceSystem", "uriValue", "value", "minValue",
      "maxValue", "meanValue", "sDev", "percRank", "percValue");
  private static final Pattern HEX = Pattern.compile("[A-Fa-f0-9]+");

  private final Values values;
  private final Problems problems;

  SensorReader(Values values, Problems problems) {
    this.values = values;
    this.problems = problems;
  }

  void sensorElements(JsonNode event, String at) {
    JsonNode list = event.get("sensorElementList");
    String where = Problems.pointer(at, "sensorElementList");
    if (list == null || !values.array(list, "sensorElementList", where)) {
      return;
    }
    for (int i = 0; i < list.size(); i++) {
      JsonNode element = list.get(i);
      String elementAt = Problems.pointer(where, i);
      if (!element.isObject()) {
        problems.add(elementAt, "a sensor element is an object with sensorReport and perhaps"
            + " sensorMetadata");
        continue;
      }
      values.extensionsOnly(element, Set.of("sensorMetadata", "sensorReport"), elementAt);
      JsonNode metadata = element.get("sensorMetadata");
      if (metadata != null) {
        metadata(metadata, Problems.pointer(elementAt, "sensorMetadata"));
      }
      reports(element, elementAt);
    }
  }

  private void metadata(JsonNode metadata, String at) {
    if (!metadata.isObject()) {
      problems.add(at, "sensorMetadata is an object");
      return;
    }
    values.extensionsOnly(metadata, Set.of("time", "startTime", "endTime", "deviceID",
        "deviceMetadata", "rawData", "dataProcessingMethod", "bizRules"), at);
    METADATA_TIMES.forEach(field -> values.time(metadata, field, at, false));
    METADATA_URIS.forEach(field -> values.identifier(metadata, field, at, false));
  }

  private void reports(JsonNode element, String at) {
    JsonNode reports = element.get("sensorReport");
    String where = Problems.pointer(at, "sensorReport");
    if (reports == null || (reports.isArray() && reports.isEmpty())) {
      problems.add(where, "missing: a sensor element has at least one sensorReport");
      return;
    }
    if (!values.array(reports, "sensorReport", where)) {
      return;
    }
    for (int i = 0; i < reports.size(); i++) {
      JsonNode report = reports.get(i);
      String reportAt = Problems.pointer(where, i);
      if (!report.isObject()) {
        problems.add(reportAt, "a sensor report is an object, e.g. {\"type\": \"Temperature\","
            + " \"value\": 4.5, \"uom\": \"CEL\"}");
        continue;
      }
      report(report, reportAt);
    }
  }

  private void report(JsonNode report, String at) {
    values.extensionsOnly(report, REPORT_FIELDS, at);
    values.vocabulary(report, "type", at, CbvVocabulary.MEASUREMENT_TYPE);
    values.vocabulary(report, "exception", at, CbvVocabulary.SENSOR_ALERT);
    values.vocabulary(report, "component", at, CbvVocabulary.COMPONENT);
    values.time(report, "time", at, false);
    values.string(report, "stringValue", at, false);
    values.string(report, "uom", at, false);
    REPORT_URIS.forEach(field -> values.identifier(report, field, at, false));
    REPORT_DECIMALS.forEach(field -> values.decimal(report, field, at));
    JsonNode bool = report.get("booleanValue");
    if (bool != null && !bool.isBoolean()) {
      problems.add(Problems.pointer(at, "booleanValue"), "booleanValue is true or false, not "
          + Values.kind(bool));
    }
    String hex = values.string(report, "hexBinaryValue", at, false);
    if (hex != null && !HEX.matcher(hex).matches()) {
      problems.add(Problems.pointer(at, "hexBinaryValue"), "hexBinaryValue is hexadecimal"
          + " digits only, e.g. 0A1F");
    }
  }
}
