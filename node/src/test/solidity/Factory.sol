// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// What Factory creates: remembers its creator and a tag.
contract Child {
    address public parent;
    uint256 public tag;

    constructor(uint256 tag_) {
        parent = msg.sender;
        tag = tag_;
    }
}

/// Creates Child contracts with CREATE and with CREATE2.
contract Factory {
    event Created(address indexed child, bool indexed salted, bytes32 salt);

    function create(uint256 tag) external returns (address child) {
        child = address(new Child(tag));
        emit Created(child, false, bytes32(0));
    }

    function create2(uint256 tag, bytes32 salt) external returns (address child) {
        child = address(new Child{salt: salt}(tag));
        emit Created(child, true, salt);
    }
}
