// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.0;

import "CrossChain.sol";

/// What a cross-chain application implements (docs/cross-chain.md): the router at
/// 0x0000000000000000000000000000000000001006 calls these on a contract that registered itself
/// with ChorusCrossChain.registerPort, each with the gas limit it registered. Check that
/// msg.sender is the router: anyone else can call these too.
///
/// A packet's ports are its applications' addresses in lower-case 0x-hex: payload.sourcePort
/// the sending contract (on the source chain), payload.destPort the receiving one (here).
/// relayer: the account that submitted the proof, for an application that pays relayers.
interface IPacketReceiver {
    /// A packet for this port, received once. The return data is the acknowledgement carried
    /// back to the sender (non-empty, at most 32 KiB). Reverting, running out of gas or
    /// returning nothing makes it the error acknowledgement instead and undoes this call's
    /// writes; the packet stays received and is not delivered again.
    function onRecvPacket(ChorusCrossChain.Packet calldata packet, address relayer)
        external returns (bytes memory acknowledgement);

    /// A packet this port sent was acknowledged: succeeded is false for the error
    /// acknowledgement (refund as on a timeout). Called after the packet is settled, which
    /// stands even if this reverts: keep the refund path total.
    function onAcknowledgement(ChorusCrossChain.Packet calldata packet,
        bytes calldata acknowledgement, bool succeeded, address relayer) external;

    /// A packet this port sent timed out unreceived: refund. Settled already, as above.
    function onTimeout(ChorusCrossChain.Packet calldata packet, address relayer) external;
}
