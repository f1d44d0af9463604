// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

contract Child {
    uint256 public value;
    address public creator;

    constructor(uint256 v) payable {
        require(v != 0, "Child: zero value");
        value = v;
        creator = msg.sender;
    }
}

/// Creates Child contracts with CREATE and with CREATE2, and predicts the CREATE2 address on chain.
contract Factory {
    event Created(address indexed child, uint256 value, bool create2, bytes32 salt);

    address[] public children;

    function create(uint256 v) external payable returns (address child) {
        child = address(new Child{value: msg.value}(v));
        children.push(child);
        emit Created(child, v, false, bytes32(0));
    }

    function create2(bytes32 salt, uint256 v) external payable returns (address child) {
        child = address(new Child{salt: salt, value: msg.value}(v));
        children.push(child);
        emit Created(child, v, true, salt);
    }

    function predict(bytes32 salt, uint256 v) external view returns (address) {
        bytes32 initCodeHash = keccak256(abi.encodePacked(type(Child).creationCode, abi.encode(v)));
        return address(uint160(uint256(keccak256(abi.encodePacked(bytes1(0xff), address(this), salt, initCodeHash)))));
    }

    function childCount() external view returns (uint256) {
        return children.length;
    }
}
