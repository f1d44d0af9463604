// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// Every kind of failure a client has to decode: Error(string), custom errors with arguments, Panic(uint256),
/// and a revert without data. Also a caller that lets a callee's revert bubble up.
contract Guard {
    error Unauthorized(address caller, address owner);
    error TooLow(uint256 given, uint256 minimum);
    error Nope();

    address public owner;
    uint256 public minimum;
    uint256 public counter;

    constructor() {
        owner = msg.sender;
        minimum = 10;
    }

    function checkPositive(uint256 x) external pure returns (uint256) {
        require(x > 0, "Guard: x must be positive");
        return x;
    }

    /// Changes state before failing, so a reverted transaction can be checked for having changed nothing.
    function bumpThenRequire(bool ok) external {
        counter += 1;
        require(ok, "Guard: bump refused");
    }

    function setMinimum(uint256 newMinimum) external {
        if (msg.sender != owner) revert Unauthorized(msg.sender, owner);
        if (newMinimum < 10) revert TooLow(newMinimum, 10);
        minimum = newMinimum;
    }

    function nope() external pure {
        revert Nope();
    }

    function divide(uint256 a, uint256 b) external pure returns (uint256) {
        return a / b;
    }

    function bare() external pure {
        revert();
    }
}

contract GuardCaller {
    Guard public immutable guard;

    constructor(Guard g) {
        guard = g;
    }

    function viaCall(uint256 newMinimum) external {
        guard.setMinimum(newMinimum);
    }
}
