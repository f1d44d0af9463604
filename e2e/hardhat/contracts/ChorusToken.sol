// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// A plain OpenZeppelin v5 ERC-20: the whole supply is minted to the deployer.
contract ChorusToken is ERC20 {
    constructor(uint256 supply) ERC20("Chorus Token", "CHT") {
        _mint(msg.sender, supply);
    }
}
