// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// Plain state: constructor arguments, a setter with an event, per-sender deposits and withdrawals of ether.
contract Store {
    uint256 public value;
    string public label;
    address public owner;
    mapping(address => uint256) public deposits;

    event ValueChanged(address indexed by, uint256 indexed oldValue, uint256 newValue);
    event Deposited(address indexed from, uint256 amount);

    constructor(uint256 initialValue, string memory initialLabel) payable {
        value = initialValue;
        label = initialLabel;
        owner = msg.sender;
    }

    function set(uint256 newValue) external {
        emit ValueChanged(msg.sender, value, newValue);
        value = newValue;
    }

    function setLabel(string calldata newLabel) external {
        label = newLabel;
    }

    function deposit() external payable {
        deposits[msg.sender] += msg.value;
        emit Deposited(msg.sender, msg.value);
    }

    function withdraw(uint256 amount) external {
        require(deposits[msg.sender] >= amount, "Store: insufficient deposit");
        deposits[msg.sender] -= amount;
        (bool ok, ) = msg.sender.call{value: amount}("");
        require(ok, "Store: transfer failed");
    }

    function snapshot() external view returns (uint256, string memory, address, uint256) {
        return (value, label, owner, address(this).balance);
    }

    receive() external payable {
        deposits[msg.sender] += msg.value;
        emit Deposited(msg.sender, msg.value);
    }
}
