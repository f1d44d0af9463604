package io.chorus.p2p;

import io.chorus.codec.ByteKey;
import io.chorus.codec.Rlp;
import io.chorus.codec.RlpReader;
import java.util.Arrays;

/**
 * The first frame each side sends after TLS: what must match for two nodes to be on the same
 * network. The address is redundant with the certificate's consensus key, and checked against
 * it, so a node misconfigured with another node's key files is caught with a clear reason.
 */
record Hello(long version, long chainId, byte[] genesisHash, ByteKey address) {
  static final int GENESIS_HASH_BYTES = 32;
  static final int ADDRESS_BYTES = 20;

  byte[] encode() {
    return Rlp.encodeList(Rlp.encodeUnsignedLong(version), Rlp.encodeUnsignedLong(chainId),
        Rlp.encodeBytes(genesisHash), Rlp.encodeBytes(address.bytes()));
  }

  /** Decodes a hello; throws {@link io.chorus.codec.RlpException} on any malformation. */
  static Hello decode(byte[] encoded) {
    RlpReader outer = RlpReader.of(encoded);
    RlpReader list = outer.readList();
    outer.requireEnd("hello");
    Hello hello = new Hello(list.readUnsignedLong("version"), list.readUnsignedLong("chainId"),
        list.readBytes(GENESIS_HASH_BYTES, "genesisHash"),
        new ByteKey(list.readBytes(ADDRESS_BYTES, "address")));
    list.requireEnd("hello");
    return hello;
  }

  /** Why a peer's hello does not fit ours, or null when it does. */
  String mismatch(Hello ours, ByteKey certifiedAddress) {
    if (version != ours.version) {
      return "protocol version " + version + ", ours is " + ours.version;
    }
    if (chainId != ours.chainId) {
      return "chain id " + chainId + ", ours is " + ours.chainId;
    }
    if (!Arrays.equals(genesisHash, ours.genesisHash)) {
      return "another genesis block";
    }
    if (!address.equals(certifiedAddress)) {
      return "address " + address + " but its certificate binds " + certifiedAddress;
    }
    return null;
  }
}
