package io.chorus.conformance;

/**
 * The outcome of one test case.
 *
 * @param group the folder the case's file sits in, relative to the vector root
 *     ({@code TransactionTests/ttAddress}); the report prints one line per group
 * @param file the file's path relative to the vector root
 * @param name the case's name inside the file, with any index suffix
 * @param detail why it failed or was skipped; empty when it passed
 */
public record CaseResult(String group, String file, String name, Outcome outcome, String detail) {}
