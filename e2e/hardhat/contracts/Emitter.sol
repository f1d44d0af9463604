// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// Events with 0..3 indexed topics, for eth_getLogs filters.
contract Emitter {
    event Ping(address indexed sender, uint256 indexed id, bytes32 indexed tag, string note);
    event Pong(uint256 indexed id, uint256 value);
    event Plain(uint256 a, bytes data);
    event Anon(uint256 indexed id) anonymous;

    function ping(uint256 id, bytes32 tag, string calldata note) external {
        emit Ping(msg.sender, id, tag, note);
    }

    function pong(uint256 id, uint256 v) external {
        emit Pong(id, v);
    }

    /// Several logs in one transaction, in a known order.
    function burst(uint256 id, bytes32 tag) external {
        emit Ping(msg.sender, id, tag, "burst");
        emit Pong(id, id * 2);
        emit Plain(id, abi.encodePacked(tag));
        emit Anon(id);
    }
}
