// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// State, events with indexed arguments, a require with a reason string and a custom error
/// with arguments: what Web3jIntegrationTest drives through web3j.
contract Store {
    error TooLarge(uint256 value, uint256 limit);

    event ValueSet(address indexed setter, uint256 indexed oldValue, uint256 newValue, string note);
    event Deposited(address indexed from, uint256 amount);

    uint256 public constant LIMIT = 1000;

    uint256 public value;
    address public owner;
    mapping(address => uint256) public deposits;

    constructor(uint256 initial) {
        value = initial;
        owner = msg.sender;
    }

    /// Reverts with the reason "Store: zero value" for 0 and with TooLarge above LIMIT.
    function set(uint256 newValue, string calldata note) external {
        require(newValue != 0, "Store: zero value");
        if (newValue > LIMIT) {
            revert TooLarge(newValue, LIMIT);
        }
        emit ValueSet(msg.sender, value, newValue, note);
        value = newValue;
    }

    function deposit() external payable {
        deposits[msg.sender] += msg.value;
        emit Deposited(msg.sender, msg.value);
    }
}
