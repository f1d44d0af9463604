// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.0;

/// The Chorus governance system contract, at 0x0000000000000000000000000000000000001000.
/// Implemented natively by every node; its data is the storage of that address, so the state
/// root covers it and eth_getProof proves it. Call it from a wallet (ethers, web3j) like any
/// contract. A contract cannot call it: the code at the address is one INVALID opcode.
///
/// A committee member proposes (and so votes yes); members vote until the proposal's expiry
/// block. It passes when yesWeight * d >= n * totalWeight for its kind's threshold n/d, and
/// takes effect at the start of the next block. It is rejected when enough no votes make the
/// threshold unreachable.
interface IChorusGovernance {
    /// Proposal kinds and the ABI encoding of their payload:
    ///  0 ADD_MEMBER (address account, uint256 weight)
    ///  1 REMOVE_MEMBER (address account)
    ///  2 ADD_VALIDATOR (bytes publicKey)  -- 64 bytes, x || y
    ///  3 REMOVE_VALIDATOR (address validator)
    ///  4 GRANT_ROLES (address account, uint256 roles)  -- bits: 1 sender, 2 deployer
    ///  5 REVOKE_ROLES (address account, uint256 roles)
    ///  6 FREEZE (address accountOrContract)
    ///  7 UNFREEZE (address accountOrContract)
    ///  8 SET_METHOD_ACCESS (address target, bytes4 selector, uint8 access)
    ///      -- 0 default, 1 allowed (the contract then takes only allowed selectors), 2 denied
    ///  9 REVOKE_CERTIFICATE (uint256 serial)
    /// 10 SET_RESTRICTIONS (bool restrictSenders, bool restrictDeployers)
    /// 11 SET_GAS_LIMIT (uint256 blockGasLimit)  -- bounds the blocks after the boundary
    /// 12 SET_BLOCK_INTERVAL (uint256 milliseconds)  -- consensus timing, 1 to 3,600,000
    /// 13 SET_FEE_MODE (uint8 mode)  -- 0 ethereum1559 (base fee burned), 1 zero (no base fee)
    /// 14 SET_NOTARY_POLICY (string recordType, address[] signers, uint8 threshold)
    ///      -- the notary contract's co-signers for a record type (Notary.sol): threshold of
    ///      up to 16 signers, the zero address standing for each record's depositor; threshold
    ///      0 with no signers removes the policy
    /// 15 to 19: the receivables' court orders, sharing-department and crosschain-client
    ///      (their contracts' interfaces, and ProposalKind in Java, give their payloads)
    /// 20 ORG_DATA_KEY (string organisation, bytes publicKey)  -- 64 bytes, x || y, of the
    ///      chain's suite: what events visible to the organisation (its certificates' subject
    ///      O) are sealed for from the next block on; adds the organisation or rotates its key
    ///
    /// A payload is at most 1024 bytes.
    ///
    /// Status: 1 active, 2 passed (takes effect next block), 3 executed, 4 rejected,
    /// 5 failed (no longer applicable when its turn came), 6 expired.

    event Proposed(uint64 indexed id, uint8 kind, address indexed proposer, uint64 expiresAt);
    /// status: the proposal's status after this vote
    event Voted(uint64 indexed id, address indexed member, bool approve, uint8 status);

    /// Proposes a change; reverts with the reason when the sender is not a member or the
    /// change cannot apply to the current state. Returns the proposal's id (from 1).
    function propose(uint8 kind, bytes calldata payload, uint64 expiryBlocks)
        external returns (uint64 id);

    /// Votes yes or no; one vote per member per proposal.
    function vote(uint64 id, bool approve) external;

    function proposalCount() external view returns (uint64);

    function proposal(uint64 id) external view returns (
        uint8 kind, bytes memory payload, address proposer, uint64 createdAt,
        uint64 expiresAt, uint8 status, uint256 yesWeight, uint256 noWeight);

    /// 0 no vote, 1 yes, 2 no.
    function voteOf(uint64 id, address member) external view returns (uint8);

    function members() external view returns (address[] memory accounts,
        uint256[] memory weights);

    /// The validators, in proposer order, as 64-byte public keys. The set that decides block
    /// h is the one in the state after block h - 1.
    function validators() external view returns (bytes[] memory publicKeys);

    function threshold(uint8 kind) external view returns (uint256 numerator,
        uint256 denominator);
}
