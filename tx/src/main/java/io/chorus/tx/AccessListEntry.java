package io.chorus.tx;

import java.util.List;

/** One EIP-2930 access-list entry: a 20-byte address and its 32-byte storage keys. */
public record AccessListEntry(byte[] address, List<byte[]> storageKeys) {
  public AccessListEntry {
    storageKeys = List.copyOf(storageKeys);
  }
}
