/** The chain exported to PostgreSQL: {@link io.chorus.export.ChainExporter}. */
package io.chorus.export;
