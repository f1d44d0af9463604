// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import "CrossChain.sol";
import "IPacketReceiver.sol";
import "Notary.sol";
import "PortIds.sol";

/// Cross-chain notarization on the Chorus router's public interface only (docs/cross-chain.md,
/// "Applications"): a version of a record of the notary (0x…1002, docs/notary.md) on one chain
/// proven on another. The same contract is deployed on both chains, registers itself as a port
/// and is bound, per client, to its peer on the chain that client tracks.
///
/// On the source, anyone calls prove(id, client, timeout): the contract reads the record's
/// current version from the notary itself (so a packet carries what the notary holds, never
/// what a caller claims) and sends it to the peer. On the destination, the record arrives by a
/// packet the router proved against the source's state: stored under (client, id, version)
/// and queried by provenRecord; the acknowledgement is "stored", or "duplicate" when that
/// version came already (a second prove of it). A packet from any other port than the peer is
/// refused (the error acknowledgement). The source keeps how each of its packets ended
/// (deliveryOf).
///
/// Payload (version "chorus-notary-1", encoding "application/x-solidity-abi"): the ABI
/// encoding of NotarizedRecord. The destination keeps the metadata's keccak-256, not its text
/// (up to 4 KiB, which would cost a port's whole gas bound to store): the text is in the
/// RecordProven log and in the packet, and a reader checks it against metadataHash.
contract NotaryBridge is IPacketReceiver {
    ChorusCrossChain constant ROUTER = ChorusCrossChain(0x0000000000000000000000000000000000001006);
    IChorusNotary constant NOTARY = IChorusNotary(0x0000000000000000000000000000000000001002);
    string public constant VERSION = "chorus-notary-1";
    string public constant ENCODING = "application/x-solidity-abi";

    /// How a proof sent from here ended, by (client, sequence).
    enum Delivery { PENDING, STORED, DUPLICATE, REFUSED, TIMED_OUT }

    /// A version of a notary record as the source's notary holds it.
    struct NotarizedRecord {
        string id;
        uint32 version;
        uint8 algorithm;
        bytes32 hash;
        string recordType;
        string metadata;
        address depositor;
        uint64 blockHeight;
        uint64 timestamp;
        bool attested;
    }

    /// What the destination keeps of a proven record; receivedAt is the block here.
    struct ProvenRecord {
        bytes32 hash;
        bytes32 metadataHash;
        address depositor;
        uint32 version;
        uint8 algorithm;
        bool attested;
        uint64 blockHeight;
        uint64 timestamp;
        uint64 receivedAt;
        string recordType;
    }

    address public immutable admin;
    mapping(string => string) public peerOf;
    mapping(bytes32 => ProvenRecord) private proven;
    mapping(bytes32 => uint32) private latest;
    mapping(bytes32 => Delivery) private deliveries;

    event PeerBound(string clientId, string peerPort);
    event ProofSent(string sourceClient, uint64 sequence, string id, uint32 version,
        bytes32 hash);
    event RecordProven(string destClient, string id, uint32 version, bytes32 hash,
        string metadata);
    event ProofDelivered(string sourceClient, uint64 sequence, Delivery delivery);

    constructor() {
        admin = msg.sender;
    }

    modifier onlyAdmin() {
        require(msg.sender == admin, "only the admin who deployed the application");
        _;
    }

    modifier onlyRouter() {
        require(msg.sender == address(ROUTER), "only the cross-chain router calls this");
        _;
    }

    function registerPort(uint64 gasLimit) external onlyAdmin {
        ROUTER.registerPort(gasLimit);
    }

    /// Binds the peer reached through clientId, once.
    function bindPeer(string calldata clientId, string calldata peerPort) external onlyAdmin {
        require(bytes(peerOf[clientId]).length == 0, "the client is bound already");
        (bool ok, address peer) = PortIds.parse(peerPort);
        require(ok && PortIds.equals(peerPort, PortIds.ofAddress(peer)),
            "a peer port is a contract address in lower-case 0x-hex");
        peerOf[clientId] = peerPort;
        emit PeerBound(clientId, peerPort);
    }

    /// Sends the current version of notary record id to the chain sourceClient tracks.
    function prove(string calldata id, string calldata sourceClient, uint64 timeoutSeconds)
        external returns (uint64 sequence)
    {
        string memory peer = peerOf[sourceClient];
        require(bytes(peer).length != 0, "the client has no peer bound: nothing to send to");
        IChorusNotary.Record memory r = NOTARY.GetRecord(id);
        bytes memory value = abi.encode(NotarizedRecord(r.id, r.version, r.algorithm,
            bytes32(r.hash), r.recordType, r.metadata, r.depositor, r.blockHeight, r.timestamp,
            r.attested));
        sequence = ROUTER.sendPacket(sourceClient, timeoutSeconds, peer, VERSION, ENCODING, value);
        emit ProofSent(sourceClient, sequence, r.id, r.version, bytes32(r.hash));
    }

    function onRecvPacket(ChorusCrossChain.Packet calldata packet, address)
        external onlyRouter returns (bytes memory)
    {
        require(PortIds.equals(packet.payload.sourcePort, peerOf[packet.destClient]),
            "the packet's source port is not this client's notary peer");
        require(PortIds.equals(packet.payload.version, VERSION)
            && PortIds.equals(packet.payload.encoding, ENCODING),
            "not a chorus-notary-1 ABI payload");
        NotarizedRecord memory r = abi.decode(packet.payload.value, (NotarizedRecord));
        bytes32 key = recordKey(packet.destClient, r.id, r.version);
        if (proven[key].receivedAt != 0) {
            return bytes("duplicate");
        }
        proven[key] = ProvenRecord(r.hash, keccak256(bytes(r.metadata)), r.depositor, r.version,
            r.algorithm, r.attested, r.blockHeight, r.timestamp, uint64(block.number),
            r.recordType);
        bytes32 idKey = keccak256(abi.encode(packet.destClient, r.id));
        if (r.version > latest[idKey]) {
            latest[idKey] = r.version;
        }
        emit RecordProven(packet.destClient, r.id, r.version, r.hash, r.metadata);
        return bytes("stored");
    }

    function onAcknowledgement(ChorusCrossChain.Packet calldata packet,
        bytes calldata acknowledgement, bool succeeded, address) external onlyRouter
    {
        Delivery d = !succeeded ? Delivery.REFUSED
            : keccak256(acknowledgement) == keccak256("stored") ? Delivery.STORED
            : Delivery.DUPLICATE;
        delivered(packet, d);
    }

    function onTimeout(ChorusCrossChain.Packet calldata packet, address) external onlyRouter {
        delivered(packet, Delivery.TIMED_OUT);
    }

    function delivered(ChorusCrossChain.Packet calldata packet, Delivery d) private {
        deliveries[keccak256(abi.encode(packet.sourceClient, packet.sequence))] = d;
        emit ProofDelivered(packet.sourceClient, packet.sequence, d);
    }

    /// A record version proven through clientId (version 0: the latest proven); reverts when
    /// none is.
    function provenRecord(string calldata clientId, string calldata id, uint32 version)
        external view returns (ProvenRecord memory)
    {
        uint32 v = version == 0 ? latest[keccak256(abi.encode(clientId, id))] : version;
        ProvenRecord memory r = proven[recordKey(clientId, id, v)];
        require(r.receivedAt != 0, "no such record proven through this client");
        return r;
    }

    /// How the proof sent as (sourceClient, sequence) ended.
    function deliveryOf(string calldata sourceClient, uint64 sequence)
        external view returns (Delivery)
    {
        return deliveries[keccak256(abi.encode(sourceClient, sequence))];
    }

    function recordKey(string memory clientId, string memory id, uint32 version)
        private pure returns (bytes32)
    {
        return keccak256(abi.encode(clientId, id, version));
    }
}
