// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.0;

/// The Chorus notary (存证) system contract, at 0x0000000000000000000000000000000000001002.
/// Implemented natively by every node from genesis; call it from a wallet or a contract (CALL,
/// STATICCALL) like any contract. Its data is the storage of that address, so the state root
/// covers it and eth_getProof proves it (layout below).
///
/// A superset of ChainMaker's CMEVI evidence interface: its methods keep CMEVI's names, so a
/// CMEVI application ports as it is; Chorus's own methods add the hash's algorithm, a record
/// type, multi-party attestation and batch anchoring.
///
/// Records. A record is an id (1 to 128 bytes of UTF-8, no control characters) holding a
/// content hash (32 bytes) and metadata (JSON by convention, at most 4096 bytes: the chain
/// bounds it, the node's REST layer checks it is JSON before it sends a deposit). Its depositor
/// is the account that deposited it (msg.sender), the only one who may update it. Each update
/// adds a version (from 1) and keeps every earlier one. A content hash is recorded once across
/// all records and versions: depositing a known hash reverts and names who holds it, so
/// FindByHash and ExistsOfHash have one answer (the first to deposit it).
///
/// Record types and attestation. A record type is 1 to 32 characters of a-z, 0-9, '-', '_'
/// (CMEVI's methods use "evidence"). The governance committee may give a type a policy by vote
/// (proposal kind 14, SET_NOTARY_POLICY): threshold M of up to 16 co-signers, where the zero
/// address stands for each record's depositor. Attestations belong to one version: a version
/// of a type with a policy is attested once M listed co-signers attested it, each with a
/// transaction of its own (a depositor who stands in the policy counts as attesting by
/// depositing). Attest(id) attests the current version; AttestVersion(id, version) exactly the
/// version the co-signer checked, whatever update came after. An update starts a new version
/// with no attestations: co-signers vouch for content, not for an id. A version of a type
/// without a policy is attested at once. A policy applies to versions deposited and
/// attestations made after it; an attested version stays attested.
///
/// Batches. AnchorBatch stores the Merkle root of `count` digests (1 to 2^24) in one
/// transaction. The tree is RFC 6962's over the chain's hash H (keccak-256 on ethereum chains,
/// SM3 on sm chains): leaf = H(0x00 || digest), node = H(0x01 || left || right), leaves in
/// order paired level by level, an odd last node promoted unchanged. An inclusion proof is the
/// siblings from the leaf up (none at a promoted level), the leaf's index, and the count
/// anchored here (io.chorus.crypto.MerkleBatch builds and verifies them). A root is anchored
/// once.
///
/// Refusals revert with Error(string) saying what is wrong: a duplicate id or hash, an unknown
/// id or version, an update by another than the depositor, a hash not 32 bytes or all zeros, an
/// unknown algorithm, metadata or an id too long, a bad record type, an empty or oversized
/// batch, a duplicate root, an attestation by a non-co-signer, twice, or of a type without
/// co-signers. Every state change emits an event below.
///
/// Storage layout (for storage proofs). slot(name, k1, k2, ...) =
/// keccak256(utf8(name) || 0x00 || k1 || 0x00 || k2 ...), a key written as its bytes: an
/// address as its 20 bytes, a number as a 32-byte big-endian word, a word as its 32 bytes, a
/// record type as its ASCII. A byte string s stored under (name, key) is its length at
/// slot(name + ".length", key) and its 32-byte chunks (the last zero-padded) at
/// slot(name, key, i) for i = 0, 1, ...
///   R = keccak256(utf8(id))                    the record's key (the events' idHash)
///   slot("versions", R)                        number of versions; 0: no such record
///   bytes "id" under R, bytes "type" under R   its id and record type
///   slot("depositor", R)                       the depositor's address (right-aligned)
///   V = slot("version", R, v)                  version v's key, v from 1
///   slot("hash", V)                            the content hash
///   slot("info", V)                            algorithm << 128 | blockHeight << 64 | timestamp
///   slot("tx", V)                              the depositing transaction's hash
///   bytes "metadata" under V                   the metadata
///   slot("attestations", V)                    number of attestations n
///   slot("attester", V, i), i < n              the i-th co-signer to attest
///   slot("attestedBy", V, signer)              1 when that co-signer attested
///   slot("attested", V)                        1 when the version counts as attested
///   slot("byHash", hash), slot("byHashVersion", hash)   R and v of the version holding hash
///   slot("policy.threshold", type)             M; 0: the type has no policy
///   slot("policy.signerCount", type), slot("policy.signer", type, i), slot("policy.index",
///       type, signer) (place from 1)           the co-signers
///   slot("batchCount")                         batches anchored, numbered from 1
///   slot("batch.root", b), slot("batch.info", b) (count << 128 | blockHeight << 64 |
///       timestamp), slot("batch.depositor", b), slot("batch.tx", b), bytes "batch.metadata"
///       under b, slot("batchByRoot", root) (b)
/// io.chorus.state.system.Notary.recordSlots and batchSlots list a record's or batch's slots.
interface IChorusNotary {
    /// Hash algorithms: 0 unspecified (CMEVI's methods, which name none), 1 sm3, 2 sha256,
    /// 3 keccak256. All give 32-byte hashes.

    /// CMEVI's record.
    struct EvidenceEntity {
        string id;
        bytes hash;
        bytes32 txId;
        uint64 blockHeight;
        uint64 timestamp;  // the block's timestamp, in seconds
        string metadata;
    }

    /// One record of EvidenceBatch.
    struct EvidenceInput {
        string id;
        bytes hash;
        string metadata;
    }

    /// Chorus's record: one version.
    struct Record {
        string id;
        uint32 version;
        uint8 algorithm;
        bytes hash;
        string recordType;
        string metadata;
        address depositor;
        bytes32 txId;
        uint64 blockHeight;
        uint64 timestamp;
        address[] cosigners;  // who attested this version, in order
        bool attested;
    }

    struct Batch {
        uint64 number;
        bytes32 root;
        uint32 count;
        string metadata;
        address depositor;
        bytes32 txId;
        uint64 blockHeight;
        uint64 timestamp;
    }

    /// A version was deposited: version 1 by Evidence, EvidenceBatch or Notarize, a later one
    /// by UpdateEvidence or Update. idHash = keccak256(utf8(id)).
    event Recorded(bytes32 indexed idHash, bytes32 indexed hash, address indexed depositor,
        string id, uint32 version, uint8 algorithm, string recordType, string metadata);

    /// A co-signer attested a version; attestations is its count so far, attested whether the
    /// version now counts as attested.
    event Attested(bytes32 indexed idHash, bytes32 indexed hash, address indexed signer,
        string id, uint32 version, uint32 attestations, bool attested);

    event BatchAnchored(bytes32 indexed root, uint64 indexed number, address indexed depositor,
        uint32 count, string metadata);

    // ---- CMEVI ----

    /// Records hash under a new id; the record type is "evidence", the algorithm unspecified.
    function Evidence(string calldata id, bytes calldata hash, string calldata metadata)
        external;

    /// Evidence for 1 to 256 records, all or none.
    function EvidenceBatch(EvidenceInput[] calldata records) external;

    /// Adds a version to the depositor's record; the algorithm stays the current version's.
    function UpdateEvidence(string calldata id, bytes calldata hash, string calldata metadata)
        external;

    /// Every version, oldest first; reverts past 64 versions (page them with GetHistory).
    function FindHisById(string calldata id) external view returns (EvidenceEntity[] memory);

    function ExistsOfHash(bytes calldata hash) external view returns (bool);

    function ExistsOfId(string calldata id) external view returns (bool);

    /// The version holding hash; reverts when none does.
    function FindByHash(bytes calldata hash) external view returns (EvidenceEntity memory);

    /// The current version; reverts when there is no such record.
    function FindById(string calldata id) external view returns (EvidenceEntity memory);

    // ---- Chorus ----

    function Notarize(string calldata id, uint8 algorithm, bytes calldata hash,
        string calldata recordType, string calldata metadata) external;

    /// Returns the new version.
    function Update(string calldata id, uint8 algorithm, bytes calldata hash,
        string calldata metadata) external returns (uint32 version);

    function Attest(string calldata id) external;

    function AttestVersion(string calldata id, uint32 version) external;

    /// Returns the batch's number.
    function AnchorBatch(bytes32 root, uint32 count, string calldata metadata)
        external returns (uint64 number);

    function GetRecord(string calldata id) external view returns (Record memory);

    function GetVersion(string calldata id, uint32 version)
        external view returns (Record memory);

    /// Up to count (1 to 64) versions from fromVersion on.
    function GetHistory(string calldata id, uint32 fromVersion, uint32 count)
        external view returns (Record[] memory);

    function GetBatch(uint64 number) external view returns (Batch memory);

    function GetBatchByRoot(bytes32 root) external view returns (Batch memory);

    function BatchCount() external view returns (uint64);

    /// No co-signers and threshold 0 when the type has no policy.
    function GetPolicy(string calldata recordType)
        external view returns (address[] memory signers, uint8 threshold);
}
