// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// Port ids and denomination traces as strings. A Chorus port is its contract's address written
/// 0x and 40 lower-case hex digits (the router writes payload.sourcePort so); a receiver or
/// sender in a packet is an address in hex, either case.
library PortIds {
    bytes16 private constant DIGITS = "0123456789abcdef";

    /// The port id of a contract: its address in lower-case 0x-hex.
    function ofAddress(address a) internal pure returns (string memory) {
        bytes memory out = new bytes(42);
        out[0] = "0";
        out[1] = "x";
        uint160 v = uint160(a);
        for (uint256 i = 41; i > 1; i--) {
            out[i] = DIGITS[v & 0xf];
            v >>= 4;
        }
        return string(out);
    }

    /// An address written 0x and 40 hex digits, either case; ok is false for anything else.
    function parse(string memory s) internal pure returns (bool ok, address a) {
        bytes memory b = bytes(s);
        if (b.length != 42 || b[0] != "0" || b[1] != "x") {
            return (false, address(0));
        }
        uint160 v;
        for (uint256 i = 2; i < 42; i++) {
            uint8 c = uint8(b[i]);
            uint8 digit;
            if (c >= 0x30 && c <= 0x39) {
                digit = c - 0x30;
            } else if (c >= 0x61 && c <= 0x66) {
                digit = c - 0x57;
            } else if (c >= 0x41 && c <= 0x46) {
                digit = c - 0x37;
            } else {
                return (false, address(0));
            }
            v = (v << 4) | digit;
        }
        return (true, address(v));
    }

    function equals(string memory a, string memory b) internal pure returns (bool) {
        return keccak256(bytes(a)) == keccak256(bytes(b));
    }

    function startsWith(string memory s, string memory prefix) internal pure returns (bool) {
        bytes memory b = bytes(s);
        bytes memory p = bytes(prefix);
        if (b.length < p.length) {
            return false;
        }
        for (uint256 i = 0; i < p.length; i++) {
            if (b[i] != p[i]) {
                return false;
            }
        }
        return true;
    }

    /// s without its first `from` bytes.
    function tail(string memory s, uint256 from) internal pure returns (string memory) {
        bytes memory b = bytes(s);
        bytes memory out = new bytes(b.length - from);
        for (uint256 i = 0; i < out.length; i++) {
            out[i] = b[from + i];
        }
        return string(out);
    }
}
