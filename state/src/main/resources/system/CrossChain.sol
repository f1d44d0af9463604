// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.0;

/// The Chorus cross-chain (跨链) system contract, at 0x0000000000000000000000000000000000001006.
/// Implemented natively by every node from genesis. It holds light clients of other Chorus
/// chains (docs/cross-chain.md): each follows its source chain by headers whose commit
/// certificates a quorum of the source's validator set sealed, checked in the source's suite
/// (SM2/SM3 or secp256k1/keccak-256) under the source's chain domain, and validator-set changes
/// one by one through the source's governance storage. A relayer needs no trust: it can only
/// bring what the source's validators sealed.
///
/// Creation. Only a governance proposal of kind crosschain-client creates (or replaces) a
/// client: it records the client id (ICS-24, 9 to 64 characters), the source's chain id, suite
/// (0 ethereum, 1 sm) and genesis hash, the trusted header's height and hash, and the
/// counterparty (the client on the source that tracks this chain). Anyone then submits that
/// header with its governance storage proof (submitTrustedHeader); the client is active from it.
/// A vote on an existing id replaces the client and drops what it verified: the way back from
/// a freeze.
///
/// Proofs. `governanceProof` is the RLP [address, [node...], [[slot, [node...]]...]] of the
/// source's governance contract (0x…1000) and the slots crosschain.GovernanceSlots.forUpdate
/// names (forCreate for the trusted header), as eth_getProof on the source gives them; no slot
/// may be missing or extra. `certificate` is the source's commit certificate of the header.
///
/// Freezing. Two blocks at one height, each sealed by a quorum of the set the client holds for
/// it (through updateClient or submitMisbehaviour), freeze the client: evidence names both
/// blocks and their signers, and nothing is verified until a vote replaces it.
///
/// Refusals revert with Error("client ID: reason"), the light client's reason. Gas: storage as
/// SLOAD/SSTORE, plus 6 a 32-byte word of header and proof and 3000 a seal.
///
/// Layout (slot = keccak256(name || 0x00 || key ...), as io.chorus.state.system.SystemStorage;
/// the key is the client id's bytes): "c.status" (0 none, 1 voted, 2 active, 3 frozen),
/// "c.chainId", "c.suite", "c.genesis", "c.trustedHeight", "c.trustedHash", "c.height",
/// "c.hash", "c.time", "c.changes", "c.validatorsAfter", "c.validatorCount", "c.generation";
/// verified heights "c.s.hash", "c.s.root", "c.s.time", "c.s.signers" by (id, generation,
/// height), the last 256 kept.
///
/// Packets (IBC v2's, one payload). sendPacket commits a packet from the caller, whose port is
/// its address in lower-case 0x-hex, through an active client to that client's counterparty:
/// the next sequence of the client, the commitment (crosschain.PacketCommitment: SHA-256 on an
/// ethereum chain, SM3 on an sm chain) at slot keccak256("commitments" || 0x00 || path), path
/// = clientId || 0x01 || bigEndian64(sequence), and a PacketSent log. The timeout is a time in
/// the destination's blocks, after this block's time and at most 86400 s after it. recvPacket
/// on the destination takes the packet, a height its client verified and the storage proof
/// (the same RLP form as governanceProof) of the commitment in the source's 0x…1006 storage;
/// it refuses a packet from another client than its counterparty, after the timeout, or one
/// already received, or to a port that is not registered, and stores the receipt (path
/// clientId || 0x02 || sequence, the block that received it); then it calls the receiver
/// (below) and stores the acknowledgement's commitment (path clientId || 0x03 || sequence):
/// IBC v2's acknowledgement is one result per payload, committed as H(0x02 || H(result)...).
/// The result is the receiver's return data, or the error acknowledgement
/// H("UNIVERSAL_ERROR_ACKNOWLEDGEMENT") when it failed. The WriteAcknowledgement log carries
/// the results. On the source, acknowledgePacket takes them with the proof of that commitment
/// in the destination's 0x…1006 storage at a height the source client verified;
/// timeoutPacket the proof that the receipt's slot is empty at a verified height whose time is
/// at or after the timeout. Both require the packet's commitment still there and delete it,
/// so a packet is settled once, by one of them; then the sender is told (below).
///
/// Ports and the firewall. An application is a contract that implements IPacketReceiver
/// (IPacketReceiver.sol) and registers its own address as its port: registerPort(gasLimit),
/// called by the contract itself once deployed (not from its constructor: it has no code
/// yet), with the gas every call to it gets, at most 1,000,000. Refused: an address without
/// code, one in the reserved range 0x0000…0000-0x0000…ffff (precompiles, system contracts).
/// The router calls a registered port only, with a plain CALL, no value, exactly its gas
/// limit (taken whole from the transaction's gas: a relayer cannot starve it; a call too deep
/// reverts the transaction), and itself as msg.sender, which applications must check. On
/// receipt it calls onRecvPacket on the destination port: a revert, running out of gas, or an
/// empty, malformed or over-32-KiB return becomes the error acknowledgement, the receiver's
/// writes undone and the receipt kept (no retry into a second effect). After an
/// acknowledgement or a timeout it calls onAcknowledgement or onTimeout on the source port if
/// that is a registered port (a packet sent by an account tells no one); the deletion stands
/// whatever the callback does. A failed call is logged (PortCallFailed, its return data cut
/// to 256 bytes). Gas: 2,600 per port checked or called, plus the call's gas limit, less what
/// the call leaves.
/// Ports: "port.gas" by the port's address (its gas limit; zero: not registered).
/// Pending packets ("p.pendingCount", "p.pending" by (id, index), "p.index" by (id,
/// sequence), index + 1, "p.sentAt" by (id, sequence)) are what a relayer carries: the body is
/// in the PacketSent log of the block sentAt names; a settled packet's entry is replaced by
/// the last one.
interface ChorusCrossChain {
    struct Payload {
        string sourcePort;
        string destPort;
        string version;
        string encoding;
        bytes value;
    }

    struct Packet {
        string sourceClient;
        string destClient;
        uint64 sequence;
        uint64 timeoutSeconds;
        Payload payload;
    }

    event ClientCreated(string clientId, uint64 height, bytes32 headerHash);
    event ClientUpdated(string clientId, uint64 height, bytes32 headerHash, bytes32 stateRoot);
    /// equivocators: the validators that sealed both blocks, the ones the source must remove.
    event ClientFrozen(string clientId, uint64 height, bytes32 firstBlock, bytes32 secondBlock,
        address[] equivocators);
    event PacketSent(Packet packet);
    event PacketReceived(Packet packet);
    /// One result per payload; its commitment is what acknowledgePacket proves.
    event WriteAcknowledgement(Packet packet, bytes[] acknowledgement);
    event PacketAcknowledged(Packet packet, bytes[] acknowledgement);
    event PacketTimedOut(Packet packet);
    event PortRegistered(address port, uint64 gasLimit);
    /// callback: onRecvPacket, onAcknowledgement or onTimeout; clientId: this chain's client
    /// (the destination client on receipt, the source client after settlement).
    event PortCallFailed(address port, string callback, string clientId, uint64 sequence,
        bytes returnData);

    /// Activates a voted client from the header the vote named by hash.
    function submitTrustedHeader(string calldata clientId, bytes calldata header,
        bytes calldata governanceProof) external;

    /// Moves the client to a certified header; returns the client's height after it.
    function updateClient(string calldata clientId, bytes calldata header,
        bytes calldata certificate, bytes calldata governanceProof)
        external returns (uint64 height);

    /// Freezes the client on two certified blocks at one height.
    function submitMisbehaviour(string calldata clientId, bytes calldata firstHeader,
        bytes calldata firstCertificate, bytes calldata secondHeader,
        bytes calldata secondCertificate) external;

    /// status 0 none, 1 voted (latestHeight and latestHash: the header the vote trusted,
    /// which submitTrustedHeader awaits), 2 active, 3 frozen.
    function clientState(string calldata clientId) external view returns (uint8 status,
        uint256 chainId, uint8 suite, bytes32 genesisHash, uint64 latestHeight,
        bytes32 latestHash, uint64 latestTimestamp, uint64 validatorChanges,
        string memory counterparty);

    function verifiedHeight(string calldata clientId) external view returns (uint64);

    /// The state root of a verified height the client still keeps.
    function stateRootAt(string calldata clientId, uint64 height)
        external view returns (bytes32);

    /// Why a frozen client froze.
    function evidence(string calldata clientId) external view returns (uint64 height,
        bytes32 firstBlock, address[] memory firstSigners, bytes32 secondBlock,
        address[] memory secondSigners);

    /// Commits a packet from the caller to the counterparty of sourceClient; its sequence.
    function sendPacket(string calldata sourceClient, uint64 timeoutSeconds,
        string calldata destPort, string calldata version, string calldata encoding,
        bytes calldata value) external returns (uint64 sequence);

    /// Records a packet as received once its commitment is proven at proofHeight, then calls
    /// its destination port's onRecvPacket for the acknowledgement.
    function recvPacket(Packet calldata packet, uint64 proofHeight, bytes calldata proof)
        external;

    /// Settles a sent packet by the destination's acknowledgement, proven at proofHeight, then
    /// calls the sending port's onAcknowledgement.
    function acknowledgePacket(Packet calldata packet, bytes[] calldata acknowledgement,
        uint64 proofHeight, bytes calldata proof) external;

    /// Settles a sent packet never received: its receipt proven absent at proofHeight, a
    /// destination block at or after the timeout; then calls the sending port's onTimeout.
    function timeoutPacket(Packet calldata packet, uint64 proofHeight, bytes calldata proof)
        external;

    /// The client's packets not yet settled, a page from `from`: sequences and send blocks.
    function pendingPackets(string calldata sourceClient, uint64 from, uint64 limit)
        external view returns (uint64 total, uint64[] memory sequences,
        uint64[] memory sentAt);

    /// A sent packet's commitment; zero when there is none.
    function packetCommitment(string calldata sourceClient, uint64 sequence)
        external view returns (bytes32);

    /// The block that received a packet; zero when none has.
    function packetReceipt(string calldata destClient, uint64 sequence)
        external view returns (uint64 receivedAt);

    /// A received packet's acknowledgement commitment; zero when none is written.
    function packetAcknowledgement(string calldata destClient, uint64 sequence)
        external view returns (bytes32);

    /// Registers the caller, a contract, as a port whose calls get gasLimit gas (1 to
    /// 1,000,000); a second call changes the limit.
    function registerPort(uint64 gasLimit) external;

    /// The gas a call to port gets; zero when it is not a registered port.
    function portGasLimit(address port) external view returns (uint64);
}
