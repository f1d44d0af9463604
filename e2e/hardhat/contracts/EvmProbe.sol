// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// Cancun features (transient storage, MCOPY, BLOBBASEFEE, BLOBHASH) and the block/tx environment
/// opcodes, which must agree with what the node reports over JSON-RPC.
contract EvmProbe {
    uint256 transient tcount;

    event Env(
        uint256 number,
        uint256 timestamp,
        uint256 basefee,
        uint256 chainid,
        address coinbase,
        uint256 gaslimit,
        uint256 gasprice,
        address origin,
        address sender,
        uint256 blobbasefee,
        bytes32 prevBlockHash
    );
    event Transient(uint256 first, uint256 second);

    function _bump() internal returns (uint256) {
        tcount += 1;
        return tcount;
    }

    /// Transient storage persists within a transaction (across calls) and is cleared after it.
    function bumpTwice() external returns (uint256 first, uint256 second) {
        first = _bump();
        second = this.bumpExternal();
        emit Transient(first, second);
    }

    function bumpExternal() external returns (uint256) {
        return _bump();
    }

    function readTransient() external view returns (uint256) {
        return tcount;
    }

    /// Raw MCOPY: copies data into a fresh buffer.
    function mcopyEcho(bytes memory data) external pure returns (bytes memory out) {
        out = new bytes(data.length);
        assembly {
            mcopy(add(out, 0x20), add(data, 0x20), mload(data))
        }
    }

    function blobInfo() external view returns (uint256 blobBaseFee, bytes32 firstBlobHash) {
        blobBaseFee = block.blobbasefee;
        firstBlobHash = blobhash(0);
    }

    function emitEnv() external {
        emit Env(
            block.number,
            block.timestamp,
            block.basefee,
            block.chainid,
            block.coinbase,
            block.gaslimit,
            tx.gasprice,
            tx.origin,
            msg.sender,
            block.blobbasefee,
            blockhash(block.number - 1)
        );
    }
}
