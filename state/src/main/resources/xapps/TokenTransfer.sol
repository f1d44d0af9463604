// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import "CrossChain.sol";
import "IPacketReceiver.sol";
import "PortIds.sol";

interface IERC20Minimal {
    function transfer(address to, uint256 amount) external returns (bool);
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
}

/// Cross-chain token transfer in the manner of ICS-20, on the Chorus router's public interface
/// only (docs/cross-chain.md, "Applications"). The same contract is deployed on both chains;
/// each registers itself as a port and is bound, per client, to its peer: the transfer
/// application on the chain that client tracks.
///
/// Denominations. A token native here is an ERC-20, its denomination its address in lower-case
/// 0x-hex. Sent out, it is escrowed here, counted per client. Received from the peer, a
/// denomination becomes a voucher traced as ICS-20 traces it, prefixed with this port and
/// the receiving client: "<this port>/<client>/<denom as sent>"; the voucher is minted to the
/// receiver in this contract's ledger (balanceOf). A voucher sent back through the client it
/// came in by is burnt; on the other side its denomination starts with the sender's port and
/// client, so it is recognised as returning, the prefix is removed and the escrow released,
/// never more than that client's escrow of the token. Forwarding a voucher on through another
/// client (multi-hop) is refused.
///
/// Payload (version "ics20-1", encoding "application/x-solidity-abi"): the ABI encoding of
/// FungibleTokenPacketData, ICS-20's fields in ICS-20's order. ABI and not ICS-20's JSON
/// because the EVM has no JSON parser: decoding JSON in Solidity costs code and gas and leaves
/// room for two readings of one text, where abi.decode is strict and built in. A gateway to an
/// ICS-20 chain maps the fields one to one (amount as a decimal string there).
///
/// Acknowledgement: the one byte 0x01 (ICS-20's result) when the receiver was credited; any
/// refusal reverts onRecvPacket, which the router turns into the error acknowledgement. On the
/// error acknowledgement or a timeout the sender is refunded: the escrow returned, or the
/// burnt voucher minted again. The refund is total (no call but to the token being refunded).
///
/// Trust: the router at 0x…1006 (msg.sender of every callback), the peer bound per client, and
/// the admin who binds it once (a peer never changes, so what was escrowed through a client is
/// released only by packets from that client's peer).
contract TokenTransfer is IPacketReceiver {
    ChorusCrossChain constant ROUTER = ChorusCrossChain(0x0000000000000000000000000000000000001006);
    string public constant VERSION = "ics20-1";
    string public constant ENCODING = "application/x-solidity-abi";

    /// ICS-20's FungibleTokenPacketData, ABI-encoded; sender and receiver in 0x-hex.
    struct FungibleTokenPacketData {
        string denom;
        string sender;
        string receiver;
        uint256 amount;
        string memo;
    }

    address public immutable admin;
    /// Per client of this chain: the port of the transfer application on the chain it tracks.
    mapping(string => string) public peerOf;
    /// Per client, per token: what was escrowed here for packets sent through that client.
    mapping(string => mapping(address => uint256)) public escrowOf;
    mapping(bytes32 => mapping(address => uint256)) private vouchers;
    mapping(bytes32 => uint256) private supplies;

    event PeerBound(string clientId, string peerPort);
    event TransferSent(string sourceClient, uint64 sequence, string denom, address sender,
        string receiver, uint256 amount);
    /// denom: as held here, the voucher's trace or the released token's address.
    event TransferReceived(string destClient, uint64 sequence, string denom, string sender,
        address receiver, uint256 amount);
    event TransferRefunded(string sourceClient, uint64 sequence, string denom, address sender,
        uint256 amount);

    constructor() {
        admin = msg.sender;
    }

    modifier onlyAdmin() {
        require(msg.sender == admin, "only the admin who deployed the application");
        _;
    }

    modifier onlyRouter() {
        require(msg.sender == address(ROUTER), "only the cross-chain router calls this");
        _;
    }

    /// Registers this contract as a port (a contract has no code in its constructor, so this
    /// comes after deployment).
    function registerPort(uint64 gasLimit) external onlyAdmin {
        ROUTER.registerPort(gasLimit);
    }

    /// Binds the peer reached through clientId, once.
    function bindPeer(string calldata clientId, string calldata peerPort) external onlyAdmin {
        require(bytes(peerOf[clientId]).length == 0,
            "the client is bound already: escrow sent through it is redeemable by its peer only");
        (bool ok, address peer) = PortIds.parse(peerPort);
        require(ok && PortIds.equals(peerPort, PortIds.ofAddress(peer)),
            "a peer port is a contract address in lower-case 0x-hex");
        peerOf[clientId] = peerPort;
        emit PeerBound(clientId, peerPort);
    }

    /// Sends amount of denom (a token's address here, or a voucher's trace through
    /// sourceClient) from the caller to receiver on the chain sourceClient tracks. A token is
    /// escrowed (approve this contract first), a voucher burnt. Returns the packet's sequence.
    function send(string calldata denom, uint256 amount, string calldata receiver,
        string calldata sourceClient, uint64 timeoutSeconds, string calldata memo)
        external returns (uint64 sequence)
    {
        require(amount > 0, "the amount is zero");
        string memory peer = peerOf[sourceClient];
        require(bytes(peer).length != 0, "the client has no peer bound: nothing to send to");
        if (PortIds.startsWith(denom, voucherPrefix(sourceClient))) {
            bytes32 key = keccak256(bytes(denom));
            require(vouchers[key][msg.sender] >= amount, "not enough vouchers");
            vouchers[key][msg.sender] -= amount;
            supplies[key] -= amount;
        } else {
            (bool ok, address token) = PortIds.parse(denom);
            require(ok && PortIds.equals(denom, PortIds.ofAddress(token)),
                "the denomination is neither a token address in lower-case 0x-hex nor a voucher"
                " that came in through this client (vouchers go back the way they came)");
            escrowOf[sourceClient][token] += amount;
            require(IERC20Minimal(token).transferFrom(msg.sender, address(this), amount),
                "the token refused the transfer");
        }
        bytes memory value = abi.encode(FungibleTokenPacketData(denom, PortIds.ofAddress(msg.sender),
            receiver, amount, memo));
        sequence = ROUTER.sendPacket(sourceClient, timeoutSeconds, peer, VERSION, ENCODING, value);
        emit TransferSent(sourceClient, sequence, denom, msg.sender, receiver, amount);
    }

    function onRecvPacket(ChorusCrossChain.Packet calldata packet, address)
        external onlyRouter returns (bytes memory)
    {
        require(PortIds.equals(packet.payload.sourcePort, peerOf[packet.destClient]),
            "the packet's source port is not this client's transfer peer");
        require(PortIds.equals(packet.payload.version, VERSION)
            && PortIds.equals(packet.payload.encoding, ENCODING), "not an ics20-1 ABI payload");
        FungibleTokenPacketData memory data =
            abi.decode(packet.payload.value, (FungibleTokenPacketData));
        require(data.amount > 0, "the amount is zero");
        (bool ok, address receiver) = PortIds.parse(data.receiver);
        require(ok, "the receiver is not an address in 0x-hex");
        require(receiver != address(0) && receiver != address(this),
            "the receiver cannot take vouchers");
        string memory returning =
            string.concat(packet.payload.sourcePort, "/", packet.sourceClient, "/");
        string memory denom;
        if (PortIds.startsWith(data.denom, returning)) {
            denom = PortIds.tail(data.denom, bytes(returning).length);
            (bool native, address token) = PortIds.parse(denom);
            require(native, "a returning denomination names no token of this chain");
            uint256 held = escrowOf[packet.destClient][token];
            require(held >= data.amount, "more than this client's escrow of the token");
            escrowOf[packet.destClient][token] = held - data.amount;
            require(IERC20Minimal(token).transfer(receiver, data.amount),
                "the token refused the release");
        } else {
            denom = string.concat(voucherPrefix(packet.destClient), data.denom);
            bytes32 key = keccak256(bytes(denom));
            vouchers[key][receiver] += data.amount;
            supplies[key] += data.amount;
        }
        emit TransferReceived(packet.destClient, packet.sequence, denom, data.sender, receiver,
            data.amount);
        return hex"01";
    }

    function onAcknowledgement(ChorusCrossChain.Packet calldata packet, bytes calldata,
        bool succeeded, address) external onlyRouter
    {
        if (!succeeded) {
            refund(packet);
        }
    }

    function onTimeout(ChorusCrossChain.Packet calldata packet, address) external onlyRouter {
        refund(packet);
    }

    /// What a packet sent from here took from its sender goes back: the escrow, or the voucher.
    function refund(ChorusCrossChain.Packet calldata packet) private {
        FungibleTokenPacketData memory data =
            abi.decode(packet.payload.value, (FungibleTokenPacketData));
        (, address sender) = PortIds.parse(data.sender);
        if (PortIds.startsWith(data.denom, voucherPrefix(packet.sourceClient))) {
            bytes32 key = keccak256(bytes(data.denom));
            vouchers[key][sender] += data.amount;
            supplies[key] += data.amount;
        } else {
            (, address token) = PortIds.parse(data.denom);
            escrowOf[packet.sourceClient][token] -= data.amount;
            require(IERC20Minimal(token).transfer(sender, data.amount), "the token refused");
        }
        emit TransferRefunded(packet.sourceClient, packet.sequence, data.denom, sender,
            data.amount);
    }

    /// The prefix of vouchers that came in through clientId: "<this port>/<clientId>/".
    function voucherPrefix(string memory clientId) public view returns (string memory) {
        return string.concat(PortIds.ofAddress(address(this)), "/", clientId, "/");
    }

    function balanceOf(string calldata denom, address holder) external view returns (uint256) {
        return vouchers[keccak256(bytes(denom))][holder];
    }

    function totalSupply(string calldata denom) external view returns (uint256) {
        return supplies[keccak256(bytes(denom))];
    }
}
