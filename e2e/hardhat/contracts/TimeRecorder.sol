// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// Keeps the block.timestamp each call saw, and the time elapsed since the call before, the way
/// a price oracle accumulates (Uniswap V2 skips an update when no time has elapsed).
contract TimeRecorder {
    uint256[] public seen;

    event Recorded(uint256 timestamp, uint256 elapsed);

    function record() external {
        uint256 elapsed = seen.length == 0 ? 0 : block.timestamp - seen[seen.length - 1];
        seen.push(block.timestamp);
        emit Recorded(block.timestamp, elapsed);
    }

    function count() external view returns (uint256) {
        return seen.length;
    }
}
