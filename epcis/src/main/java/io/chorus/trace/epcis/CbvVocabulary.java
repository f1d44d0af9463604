package io.chorus.trace.epcis;

import java.util.Set;

/**
 * The standard vocabularies of CBV 2.0 and GS1 Web Vocabulary that EPCIS 2.0 JSON may write as
 * bare words ({@code "shipping"}), as CBV 1.x URNs ({@code urn:epcglobal:cbv:bizstep:shipping})
 * or as Web URIs ({@code https://ref.gs1.org/cbv/BizStep-shipping}). All three are accepted and
 * brought to the Web URI, which the event hash and the index use; a bare word outside the
 * vocabulary is refused (the JSON schema allows only URIs beside the listed words).
 */
public enum CbvVocabulary {
  BIZ_STEP("https://ref.gs1.org/cbv/BizStep-", "urn:epcglobal:cbv:bizstep:", Set.of(
      "accepting", "arriving", "assembling", "collecting", "commissioning", "consigning",
      "creating_class_instance", "cycle_counting", "decommissioning", "departing", "destroying",
      "disassembling", "dispensing", "encoding", "entering_exiting", "holding", "inspecting",
      "installing", "killing", "loading", "other", "packing", "picking", "receiving", "removing",
      "repackaging", "repairing", "replacing", "reserving", "retail_selling", "sampling",
      "sensor_reporting", "shipping", "staging_outbound", "stock_taking", "stocking", "storing",
      "transporting", "unloading", "unpacking", "void_shipping")),
  DISPOSITION("https://ref.gs1.org/cbv/Disp-", "urn:epcglobal:cbv:disp:", Set.of(
      "active", "available", "completeness_verified", "completeness_inferred", "conformant",
      "container_closed", "container_open", "damaged", "destroyed", "dispensed", "disposed",
      "encoded", "expired", "in_progress", "in_transit", "inactive", "mismatch_instance",
      "mismatch_class", "mismatch_quantity", "needs_replacement", "no_pedigree_match",
      "non_conformant", "non_sellable_other", "partially_dispensed", "recalled", "reserved",
      "retail_sold", "returned", "sellable_accessible", "sellable_not_accessible", "stolen",
      "unavailable", "unknown")),
  BIZ_TRANSACTION_TYPE("https://ref.gs1.org/cbv/BTT-", "urn:epcglobal:cbv:btt:", Set.of(
      "bol", "cert", "desadv", "inv", "pedigree", "po", "poc", "prodorder", "recadv", "rma",
      "testprd", "testres", "upevt")),
  SOURCE_DESTINATION_TYPE("https://ref.gs1.org/cbv/SDT-", "urn:epcglobal:cbv:sdt:", Set.of(
      "owning_party", "possessing_party", "location")),
  ERROR_REASON("https://ref.gs1.org/cbv/ER-", "urn:epcglobal:cbv:er:", Set.of(
      "did_not_occur", "incorrect_data")),
  COMPONENT("https://ref.gs1.org/cbv/Comp-", "urn:epcglobal:cbv:comp:", Set.of(
      "x", "y", "z", "axial_distance", "azimuth", "height", "spherical_radius", "polar_angle",
      "elevation_angle", "easting", "northing", "latitude", "longitude", "altitude")),
  MEASUREMENT_TYPE("https://gs1.org/voc/", null, Set.of(
      "AbsoluteHumidity", "AbsorbedDose", "AbsorbedDoseRate", "Acceleration", "Radioactivity",
      "Altitude", "AmountOfSubstance", "AmountOfSubstancePerUnitVolume", "Angle",
      "AngularAcceleration", "AngularMomentum", "AngularVelocity", "Area", "Capacitance",
      "Conductance", "Conductivity", "Count", "Density", "Dimensionless", "DoseEquivalent",
      "DoseEquivalentRate", "DynamicViscosity", "ElectricCharge", "ElectricCurrent",
      "ElectricCurrentDensity", "ElectricFieldStrength", "Energy", "Exposure", "Force",
      "Frequency", "Illuminance", "Inductance", "Irradiance", "KinematicViscosity", "Length",
      "LinearMomentum", "Luminance", "LuminousFlux", "LuminousIntensity", "MagneticFlux",
      "MagneticFluxDensity", "MagneticVectorPotential", "Mass", "MassConcentration",
      "MassFlowRate", "MassPerAreaTime", "MemoryCapacity", "MolalityOfSolute", "MolarEnergy",
      "MolarMass", "MolarVolume", "Power", "Pressure", "RadiantFlux", "RadiantIntensity",
      "RelativeHumidity", "Resistance", "Resistivity", "SolidAngle", "SpecificVolume", "Speed",
      "SurfaceDensity", "SurfaceTension", "Temperature", "Time", "Torque", "Voltage", "Volume",
      "VolumeFlowRate", "VolumeFraction", "VolumetricFlux", "Wavenumber")),
  SENSOR_ALERT("https://gs1.org/voc/", null, Set.of("ALARM_CONDITION", "ERROR_CONDITION"));

  /** CBV 1.x URN prefixes and the Web URI prefix each became in CBV 2.0. */
  private static final String[][] URN_TO_WEB = {
      {"urn:epcglobal:cbv:bizstep:", "https://ref.gs1.org/cbv/BizStep-"},
      {"urn:epcglobal:cbv:disp:", "https://ref.gs1.org/cbv/Disp-"},
      {"urn:epcglobal:cbv:btt:", "https://ref.gs1.org/cbv/BTT-"},
      {"urn:epcglobal:cbv:sdt:", "https://ref.gs1.org/cbv/SDT-"},
      {"urn:epcglobal:cbv:er:", "https://ref.gs1.org/cbv/ER-"},
  };

  private final String webPrefix;
  private final String urnPrefix;
  private final Set<String> words;

  CbvVocabulary(String webPrefix, String urnPrefix, Set<String> words) {
    this.webPrefix = webPrefix;
    this.urnPrefix = urnPrefix;
    this.words = words;
  }

  /**
   * The Web URI of {@code value}: a listed bare word expanded, a CBV URN rewritten, another URI
   * unchanged; null for a bare word the vocabulary does not have (the caller reports it).
   */
  public String normalise(String value) {
    if (words.contains(value)) {
      return webPrefix + value;
    }
    if (urnPrefix != null && value.startsWith(urnPrefix)) {
      return webPrefix + value.substring(urnPrefix.length());
    }
    return Uris.isAbsolute(value) ? value : null;
  }

  /** The bare words, for error messages. */
  public String examples() {
    return words.stream().sorted().limit(6).reduce((a, b) -> a + ", " + b).orElse("")
        + (words.size() > 6 ? ", ..." : "");
  }

  /** Any value with a CBV 1.x URN prefix rewritten to its CBV 2.0 Web URI. */
  static String webUri(String value) {
    if (value.startsWith("urn:epcglobal:cbv:")) {
      for (String[] pair : URN_TO_WEB) {
        if (value.startsWith(pair[0])) {
          return pair[1] + value.substring(pair[0].length());
        }
      }
    }
    return value;
  }
}
