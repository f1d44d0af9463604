// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.0;

/// A user contract whose functions no signature table knows: the console decodes its calls,
/// its event and its custom error only once its ABI is uploaded (ExplorerNodeTest).
contract Vault {
    error InsufficientBalance(uint256 available, uint256 requested);

    event Stored(address indexed by, string label, uint256 amount);

    mapping(address => uint256) public deposits;
    bool public locked = true;

    function store(string calldata label, uint256 amount) external {
        deposits[msg.sender] += amount;
        emit Stored(msg.sender, label, amount);
    }

    function take(uint256 amount) external {
        uint256 available = deposits[msg.sender];
        if (available < amount) {
            revert InsufficientBalance(available, amount);
        }
        deposits[msg.sender] = available - amount;
    }

    function close() external view {
        require(!locked, "vault is locked");
    }
}
