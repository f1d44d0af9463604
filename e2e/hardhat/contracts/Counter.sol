// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// Shared counter for the parallel batch: every sender's increments must all land.
contract Counter {
    uint256 public total;
    mapping(address => uint256) public bySender;

    event Incremented(address indexed by, uint256 total);

    function inc() external {
        total += 1;
        bySender[msg.sender] += 1;
        emit Incremented(msg.sender, total);
    }
}
