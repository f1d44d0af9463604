// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.0;

/// The Chorus traceability (溯源) system contract, at 0x0000000000000000000000000000000000001003.
/// Implemented natively by every node from genesis. It anchors batches of GS1 EPCIS 2.0 events:
/// each Capture carries the events themselves in its call data, so every node receives them in
/// blocks and keeps them in its own event store, and records the Merkle root of their CBV 2.0
/// event hash IDs in state, so that any event can later be proven by the Captured log and its
/// path to the root.
///
/// The batch. `batch` is the raw DEFLATE (RFC 1951) of a UTF-8 JSON array; each element is one
/// event's JSON object as the capturer sent it, with the JSON-LD context it was read under set
/// as its own context member, so that each element can be read and hashed on its own. `root`
/// is the RFC 6962 Merkle root (io.chorus.crypto.MerkleBatch, over the chain's hash H: leaf =
/// H(0x00 || digest), node = H(0x01 || left || right)) of the events' hash IDs in array order,
/// each the 32-byte SHA-256 digest of its ni:///sha-256;...?ver=CBV2.0 URI. `count` is the
/// number of events (1 to 1024); the batch is at most 98304 bytes.
///
/// A sealed capture. `CaptureSealed` anchors a batch only the named organisations may read:
/// `envelope` is the batch sealed for their data keys, as the governance contract holds them
/// (proposal kind ORG_DATA_KEY; captures made before organisations had data keys were sealed
/// for their nodes' consensus keys) (io.chorus.crypto.Envelope:
/// SM2 + SM4-GCM on sm chains, ECIES + AES-256-GCM on ethereum ones), its associated data
/// "chorus-trace-sealed/1" || root || count (4 bytes) || the organisation names, each UTF-8
/// and ended by a 0x00 byte. `organisations` are the readers' names as their node certificates
/// give them (subject O): 1 to 32 distinct, each 1 to 64 characters. Root, count, bounds and the
/// Captured log are those of Capture, so an event of a sealed capture is proven the same way.
///
/// The chain checks the shape and bounds only: it neither inflates nor parses the batch. Each
/// node does, and indexes a capture only when the hash IDs it recomputes give `root` and
/// `count` back; a capture that does not is ignored by every node alike.
///
/// Layout (slot = keccak256(name || 0x00 || key ...), as io.chorus.state.system.SystemStorage):
/// "capture.count" the number of captures; "capture.byRoot" root -> number;
/// "capture.root", "capture.info" (count << 128 | block << 64 | timestamp), "capture.capturer",
/// "capture.tx" by number (from 1).
interface ChorusTrace {
    struct CaptureRecord {
        uint64 number;
        bytes32 root;
        uint32 count;
        address capturer;
        bytes32 txId;
        uint64 blockHeight;
        uint64 timestamp;
    }

    /// A batch of count events was captured; root is the Merkle root of their hash IDs.
    event Captured(bytes32 indexed root, uint64 indexed number, address indexed capturer,
        uint32 count);

    /// Anchors a batch; returns its number (from 1). A root is captured once.
    function Capture(bytes32 root, uint32 count, bytes calldata batch)
        external returns (uint64 number);

    /// Anchors a batch sealed for `organisations`; returns its number.
    function CaptureSealed(bytes32 root, uint32 count, string[] calldata organisations,
        bytes calldata envelope) external returns (uint64 number);

    function GetCapture(bytes32 root) external view returns (CaptureRecord memory);

    function CaptureCount() external view returns (uint64);
}
