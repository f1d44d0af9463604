package io.chorus.evm;

import java.util.List;

/** An event emitted by LOG0..LOG4. */
public record Log(Address address, List<Word> topics, byte[] data) {}
