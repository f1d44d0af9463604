// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.0;

// Compiled with solc 0.8.30 (optimizer on, 200 runs) beside
// state/src/main/resources/system/Notary.sol; NotaryUser.bin is its creation bytecode.
import "Notary.sol";

contract NotaryUser {
    IChorusNotary constant NOTARY = IChorusNotary(0x0000000000000000000000000000000000001002);

    function deposit(string calldata id, bytes32 hash) external {
        NOTARY.Notarize(id, 2, abi.encodePacked(hash), "contract", "{\"by\":\"contract\"}");
    }

    function current(string calldata id) external view
        returns (uint32 version, bool attested, address depositor, bytes memory hash) {
        IChorusNotary.Record memory r = NOTARY.GetRecord(id);
        return (r.version, r.attested, r.depositor, r.hash);
    }

    function exists(bytes32 hash) external view returns (bool) {
        return NOTARY.ExistsOfHash(abi.encodePacked(hash));
    }

    function staticDeposit(string calldata id, bytes32 hash) external view
        returns (bool ok, bytes memory answer) {
        return address(NOTARY).staticcall(abi.encodeCall(IChorusNotary.Evidence,
            (id, abi.encodePacked(hash), "")));
    }
}
