// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// Keeps its own address and its deployer as immutables, which the constructor writes into the runtime code:
/// a simulated deployment returns the deployed code only if it ran at the address the deployment lands on.
contract Stamped {
    address public immutable self;
    address public immutable deployer;

    constructor() {
        self = address(this);
        deployer = msg.sender;
    }
}
