// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.0;

/// The Chorus permissions system contract, at 0x0000000000000000000000000000000000001001.
/// Read-only to transactions: only governance proposals (and the genesis file) change it.
/// Every node applies these rules in the state transition: a transaction they forbid is
/// invalid (a block holding one is refused), and the pool refuses it at admission.
interface IChorusPermissions {
    /// Whether senders need the sender role (bit 1) and deployers the deployer role (bit 2).
    /// A committee member may always call the governance contract.
    function restrictions() external view returns (bool senders, bool deployers);

    function roles(address account) external view returns (uint256);

    function isFrozen(address accountOrContract) external view returns (bool);

    /// 0 default, 1 allowed, 2 denied.
    function methodAccess(address target, bytes4 selector) external view returns (uint8);

    function canSend(address account) external view returns (bool);

    function canDeploy(address account) external view returns (bool);

    /// Certificate serials the committee revoked.
    function isCertificateRevoked(uint256 serial) external view returns (bool);
}
