// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.0;

/// The Chorus receivables (供应链金融) system contract, at 0x0000000000000000000000000000000000001004.
/// Implemented natively by every node from genesis. A core enterprise (the obligor, holding the
/// role receivables.obligor in the permissions contract) confirms a payable to its supplier by
/// signing its terms; the supplier issues it as a piece (an ERC-3525 token: id, slot, value);
/// holders split any amount of a piece to other accounts (a new piece whose parent is the piece
/// split, value conserved to the unit), offer a piece to a bank (role receivables.bank), which
/// accepts it atomically (FINANCED, the bank its lien holder: a financed or offered piece cannot
/// move or be offered again), and the obligor pays each piece with value at or after maturity
/// (to the lien holder of a financed piece, else to its holder). Court orders (freeze, unfreeze,
/// forced transfer) are governance proposal kinds. docs/receivables.md tells the rules.
///
/// ERC-3525 and ERC-721. The functions and events below by their signatures; values count
/// hundredths of the currency unit (valueDecimals 2). A slot is uint256(keccak256(abi.encode(
/// obligor, uint64 maturity, string currency))). Not offered: safeTransferFrom, the token-to-token
/// transferFrom(uint256,uint256,uint256) and supportsInterface — a native contract does not call
/// receivers back, and merging value into another piece would give a piece two lineages.
///
/// Terms. The obligor signs, in the chain's suite (SM2 with the default user id on sm chains,
/// secp256k1 ECDSA on ethereum ones), the 32-byte digest H("chorus-receivable-terms/1" ||
/// abi.encode(uint256 chainId, address 0x…1004, address obligor, address supplier, uint256
/// faceValue, string currency, uint64 maturity, bytes32[] documents)), H the chain's hash (SM3 or
/// keccak-256); termsDigest returns it. issue takes the obligor's 64-byte public key and the
/// signature r || s (|| v, ignored). Maturity is after the block time and at most 365 days after
/// it; above 182.5 days the Issued event carries a warning. 1 to 16 document hashes (notary
/// content hashes or record digests, EPCIS event hash IDs) bind the trade. Terms issue once.
///
/// Refusals revert with Error("0xCC rule: detail"); canTransfer and canFinance answer the code
/// and that text without reverting (0x51 when allowed), from the same checks. Codes: 0x52
/// insufficient-value, 0x53 insufficient-allowance, 0x54 frozen, 0x55 locked (offered or
/// financed), 0x56 not-holder, 0x57 bad-receiver, 0x58 bad-operator, 0xa0 no-piece, 0xa1
/// bad-value, 0xa2 paid, 0xa3 not-bank, 0xa4 not-obligor, 0xa5 bad-signature, 0xa6 bad-maturity,
/// 0xa7 not-due, 0xa8 limit, 0xa9 bad-terms, 0xaa matured, 0xab no-offer, 0xac bad-price, 0xad
/// bad-court-order, 0xae confidential (an operation in clear on a confidential piece, or the
/// reverse), 0xaf bad-proof (a commitment, range proof or sealed opening that is wrong).
///
/// Confidential receivables. issueConfidential issues one whose amounts are Pedersen
/// commitments C = v·H + r·G on the suite's curve (sm2p256v1 or secp256k1; 33-byte compressed
/// points; H hashed onto the curve, io.chorus.crypto.ValueCommitments), so only the parties read
/// them: its pieces' face value and value read 0 and commitmentOf gives each piece's commitment.
/// The obligor signs H("chorus-receivable-sealed-terms/1" || abi.encode(chainId, 0x…1004,
/// obligor, supplier, bytes faceCommitment, currency, maturity, documents)). Range proofs (688
/// bytes: Bulletproofs over 64 bits) show each amount in [min, min + 2^64 − 1]:
/// the face value, an amount split off and a price ≥ 1; what a split keeps (the piece's
/// commitment less the part's, computed by the contract) and the value less the price ≥ 0. So
/// value is conserved and never negative, checked by every node, seen by none. Each proof is
/// bound to "chorus-receivables/<purpose>/" || uint256 chainId || uint256 piece id (0 at issue),
/// purposes face-value, split, rest, price, margin; each costs 500,000 gas. Openings (amount ||
/// blinding, 32 bytes each) travel sealed in the suite's envelope (io.chorus.crypto.Envelope) in
/// Opened events; the contract checks that they are sealed for the supplier and the obligor at
/// issue, the new holder and the obligor on a split (and what the piece keeps for its holder and
/// the obligor), the bank on an offer, and always for every regulator: an account with the role
/// receivables.regulator that published its sealing key (publishSealingKey, the 64-byte public
/// key of the sender's own account; parties publish theirs so that others can seal to them;
/// at most 16 regulators). Envelopes carry the piece's value opening, then on an offer the
/// price's, and are bound to the piece's commitment as associated data. Value allowances,
/// the split in clear and offerFinancing are refused on confidential pieces; paying one logs a
/// value of 0 (the obligor pays what it opens).
///
/// Layout (slot = keccak256(name || 0x00 || key ...), as io.chorus.state.system.SystemStorage):
/// "piece.count"; by piece id: "piece.value", "piece.holder", "piece.parent", "piece.root",
/// "piece.status" (holder epoch << 64 | frozen << 8 | state: 1 active, 2 offered, 3 financed,
/// 4 paid), "piece.offer.bank", "piece.offer.price", "piece.lien", "piece.financing" (price << 64
/// | time), "piece.paid", "piece.children" and ("piece.child", id, i); by root id: "root.obligor",
/// "root.supplier", "root.face", "root.currency" (bytes), "root.dates" (maturity << 64 | issued),
/// "root.slot", "root.terms", "root.documents" and ("root.document", root, i), "root.pieces" and
/// ("root.piece", root, i); "terms" digest -> root id; confidential, as bytes (a length slot,
/// then 32-byte chunks): "piece.commitment" by piece, "root.commitment" by root,
/// "piece.price.commitment" by piece, "sealing.key" by account; "regulator.count" and
/// ("regulator", i).
interface ChorusReceivables {
    struct Piece {
        uint256 faceValue;
        uint256 value;
        address holder;
        uint256 parent;
        uint256 root;
        uint256 slot;
        uint8 state;
        bool frozen;
        address lienHolder;
        bytes32 paidRef;
    }

    struct Terms {
        address obligor;
        address supplier;
        uint256 faceValue;
        string currency;
        uint64 maturity;
        uint64 issuedAt;
        bytes32 termsDigest;
        bytes32[] documents;
    }

    event Transfer(address indexed from, address indexed to, uint256 indexed tokenId);
    event Approval(address indexed owner, address indexed approved, uint256 indexed tokenId);
    event ApprovalForAll(address indexed owner, address indexed operator, bool approved);
    event TransferValue(uint256 indexed fromTokenId, uint256 indexed toTokenId, uint256 value);
    event ApprovalValue(uint256 indexed tokenId, address indexed operator, uint256 value);
    event SlotChanged(uint256 indexed tokenId, uint256 indexed oldSlot, uint256 indexed newSlot);

    /// A receivable was issued as piece id; warning is empty unless the term exceeds six months.
    event Issued(uint256 indexed id, address indexed obligor, address indexed supplier,
        uint256 faceValue, string currency, uint64 maturity, bytes32 termsDigest, string warning);
    event FinancingOffered(uint256 indexed id, address indexed holder, address indexed bank,
        uint256 price);
    event FinancingCancelled(uint256 indexed id, address indexed by);
    /// The bank holds the piece's lien; discount = value - price.
    event Financed(uint256 indexed id, address indexed holder, address indexed bank,
        uint256 price, uint256 discount);
    event Paid(uint256 indexed id, address indexed obligor, address indexed payee,
        uint256 value, bytes32 paymentRef);
    /// Confidential piece id's value is now the committed amount.
    event Committed(uint256 indexed id, bytes commitment);
    /// Confidential piece id is offered at the committed price.
    event PriceCommitted(uint256 indexed id, bytes commitment);
    /// Openings of piece id's amounts, sealed by `by` for the parties the envelope names.
    event Opened(uint256 indexed id, address indexed by, bytes openings);
    event SealingKeyPublished(address indexed account, bytes key);

    function name() external view returns (string memory);
    function symbol() external view returns (string memory);
    function valueDecimals() external view returns (uint8);
    function balanceOf(uint256 tokenId) external view returns (uint256);
    function balanceOf(address owner) external view returns (uint256 balance);
    function ownerOf(uint256 tokenId) external view returns (address owner);
    function slotOf(uint256 tokenId) external view returns (uint256);
    function approve(uint256 tokenId, address operator, uint256 value) external;
    function allowance(uint256 tokenId, address operator) external view returns (uint256);
    function approve(address to, uint256 tokenId) external;
    function getApproved(uint256 tokenId) external view returns (address operator);
    function setApprovalForAll(address operator, bool approved) external;
    function isApprovedForAll(address owner, address operator) external view returns (bool);
    /// Splits value off fromTokenId into a new piece held by to; returns its id.
    function transferFrom(uint256 fromTokenId, address to, uint256 value)
        external returns (uint256 newTokenId);
    /// Moves the whole piece to another holder, keeping its id.
    function transferFrom(address from, address to, uint256 tokenId) external;

    function issue(address obligor, uint256 faceValue, string calldata currency,
        uint64 maturity, bytes32[] calldata documents, bytes calldata obligorKey,
        bytes calldata signature) external returns (uint256 id);
    function termsDigest(address obligor, address supplier, uint256 faceValue,
        string calldata currency, uint64 maturity, bytes32[] calldata documents)
        external view returns (bytes32);
    function offerFinancing(uint256 id, address bank, uint256 price) external;
    /// By the holder (withdrawing) or the bank (declining).
    function cancelFinancing(uint256 id) external;
    function acceptFinancing(uint256 id) external;
    function pay(uint256 id, bytes32 paymentRef) external;

    /// ERC-1594 style: whether the caller's transferFrom(id, to, value) would pass, and why not.
    function canTransfer(uint256 id, address to, uint256 value)
        external view returns (bytes1 code, string memory message);
    /// Whether the caller's financing step would pass: asked by bank itself, its acceptance
    /// of the piece; asked by anyone else, that caller's offer of the piece to bank.
    function canFinance(uint256 id, address bank)
        external view returns (bytes1 code, string memory message);

    function pieceOf(uint256 id) external view returns (Piece memory);
    function termsOf(uint256 id) external view returns (Terms memory);
    function childrenOf(uint256 id) external view returns (uint256[] memory);
    /// Every piece of the receivable id belongs to, the root first.
    function piecesOf(uint256 id) external view returns (uint256[] memory);
    /// The pieces of id's receivable past maturity, unpaid and holding value.
    function overdueOf(uint256 id) external view returns (uint256[] memory);
    function isOverdue(uint256 id) external view returns (bool);
    function offerOf(uint256 id) external view returns (address bank, uint256 price);
    function financingOf(uint256 id) external view
        returns (address bank, uint256 price, uint256 discount, uint64 financedAt);
    /// Kinds are governance's proposal kinds (15 freeze, 16 unfreeze, 17 forced transfer).
    function courtOrdersOf(uint256 id) external view
        returns (uint8[] memory kinds, string[] memory references);
    function pieceCount() external view returns (uint256);

    function issueConfidential(address obligor, bytes calldata faceCommitment,
        string calldata currency, uint64 maturity, bytes32[] calldata documents,
        bytes calldata obligorKey, bytes calldata signature, bytes calldata proof,
        bytes calldata openings) external returns (uint256 id);
    function confidentialTermsDigest(address obligor, address supplier,
        bytes calldata faceCommitment, string calldata currency, uint64 maturity,
        bytes32[] calldata documents) external view returns (bytes32);
    /// Splits the committed amount off piece id to a new piece of `to`: proofs of the amount
    /// (≥ 1) and of what id keeps (≥ 0); the part's openings sealed for `to` and the obligor,
    /// what id keeps sealed for its holder and the obligor.
    function splitConfidential(uint256 id, address to, bytes calldata commitment,
        bytes calldata proof, bytes calldata restProof, bytes calldata openings,
        bytes calldata restOpenings) external returns (uint256 newId);
    /// Offers piece id to bank at a committed price: proofs of the price (≥ 1) and of the
    /// value less the price (≥ 0), openings sealed for the bank.
    function offerConfidential(uint256 id, address bank, bytes calldata priceCommitment,
        bytes calldata priceProof, bytes calldata marginProof, bytes calldata openings) external;
    /// By the holder, the obligor or the lien's bank: openings sealed for more parties.
    function shareOpening(uint256 id, bytes calldata openings) external;
    /// The whole confidential piece to `to`, its value's opening sealed for `to` at once;
    /// transferFrom(from, to, id) still moves it, leaving `to` to be sealed for later.
    function transferConfidential(address from, address to, uint256 tokenId,
        bytes calldata openings) external;
    function commitmentOf(uint256 id) external view returns (bytes memory);
    function faceCommitmentOf(uint256 id) external view returns (bytes memory);
    function priceCommitmentOf(uint256 id) external view returns (bytes memory);
    function publishSealingKey(bytes calldata key) external;
    function sealingKeyOf(address account) external view returns (bytes memory);
    /// The regulators every opening must be sealed for.
    function regulators() external view returns (address[] memory);
}
