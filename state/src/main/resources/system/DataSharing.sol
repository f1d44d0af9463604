// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.0;

/// The Chorus government data sharing (政务数据共享) system contract, at
/// 0x0000000000000000000000000000000000001005. Implemented natively by every node from genesis;
/// docs/sharing.md tells the rules.
///
/// Departments. A department is an organisation of the consortium PKI, named as its
/// certificates' subject O (1 to 64 characters). Governance binds the accounts that act for it
/// (proposal kind sharing-department ACCOUNT NAME; an empty name unbinds). Events index a
/// department as Solidity indexes a string: keccak256(bytes(name)), on every chain.
///
/// Catalogue (目录). A department publishes a data set under a unique catalogue code, with a
/// title, its schema (1 to 64 field names; field i is bit i of a field mask), a sharing class
/// (0 无条件共享 unconditional, 1 有条件共享 conditional, 2 不予共享 not shared) and an update cycle
/// (0 real-time, 1 daily, 2 weekly, 3 monthly, 4 quarterly, 5 yearly, 6 irregular). Each update
/// is a new version, numbered from 1; old versions stay readable (versionOf; version 0 reads the
/// latest). The schema hash is H(abi.encode(string[] fields)), H the chain's hash (SM3 on sm
/// chains, keccak-256 on ethereum ones).
///
/// Applications. A department applies for another's data set (applyFor: purpose, scenario, the
/// fields it asks for as a mask of the latest version's schema, the end of the period asked for,
/// at most three years on); not-shared data sets refuse applications. The data authority (role
/// sharing.authority, bit 16, in the permissions contract) checks it within 2 working days:
/// refused with a reason, or passed — then an unconditional item is granted at once, and a
/// conditional one awaits its provider, who approves (some or all of the fields asked for) or
/// refuses with a reason within 5 working days, or extends once by 5 more (10 in all). A grant
/// is revoked (with a reason, by the provider or the authority) or expires at the end of its
/// period. A grant's id is its application's. Working days are Monday to Friday in UTC+8 from
/// the block time, the day of the event not counted; public holidays are not modelled.
/// States: 1 applied, 2 checked, 3 granted, 4 refused, 5 revoked, 6 expired (derived).
///
/// Audit. The provider's node records each access attempt it answers (recordAccess): the data
/// set, the grant presented (0 for none), the requester's department and certificate hash, the
/// outcome (0x51 delivered, 0xc0 no grant, 0xc1 expired, 0xc2 revoked, 0xc3 a field outside the
/// mask, 0xc4 wrong department, 0xc5 revoked certificate, 0xc6 failed), the fields and, for a
/// delivery, the payload's hash; the contract adds its own verdict on that grant, department and
/// mask at the block time. recordPurge records the erasure of a delivered payload. Payloads never
/// go on chain. Each data set's and each department's entries page by index (auditOfDataset,
/// auditOfDepartment) at the cost of the page alone.
///
/// Refusals revert with Error("0xCC rule: detail"); isGranted and canUse answer the code and that
/// text without reverting (0x51 when allowed), from the same check recordAccess's verdict runs.
/// Codes: 0xb0 no-dataset, 0xb1 no-request, 0xb2 not-department, 0xb3 not-provider, 0xb4
/// not-authority, 0xb5 not-shared, 0xb6 bad-fields, 0xb7 bad-period, 0xb8 bad-state, 0xb9
/// no-reason, 0xba bad-dataset, 0xbb limit, 0xbc own-department, 0xbd bad-entry, 0xbe bad-text,
/// and the access codes above.
///
/// Layout (slot = keccak256(name || 0x00 || key ...), as io.chorus.state.system.SystemStorage;
/// "lanes" are four uint64 in one word, the first the highest): "dept.of" account -> department
/// id; "dept.name" id -> bytes; "ds.count"; by data set: "ds.provider", "ds.info" (lanes 0, 0,
/// versions, created), "ds.code" (bytes); "ds.byCode" code -> id; by (data set, version):
/// "v.info" (lanes fields, class, cycle, published), "v.schema", "v.title" and "v.fields" (bytes,
/// keyed by keccak256("" || 0x00 || id || 0x00 || version)); "rq.count"; by application:
/// "rq.what" (lanes data set, version, applied, deadline), "rq.terms" (lanes requested mask,
/// granted mask, expires, decided), "rq.state" (lanes 0, revoked, extended, state),
/// "rq.requester", "rq.applicant", "rq.decidedBy", "rq.purpose", "rq.scenario", "rq.reason";
/// "rq.open" count and ("rq.open", i); "au.count"; by entry: "au.what" (lanes data set, grant,
/// mask, time), "au.outcome" (lanes 0, purged, outcome, verdict), "au.dept", "au.who",
/// "au.payload"; lists as a count and (name, key, i): "ds.requests"/"ds.request",
/// "ds.audit"/"ds.entry", "dept.datasets"/"dept.dataset", "dept.requests"/"dept.request",
/// "dept.audit"/"dept.entry", ("grants", data set, department)/("grant", …, i).
interface ChorusDataSharing {
    event Published(uint64 indexed dataset, string indexed provider, uint64 version,
        uint8 sharingClass, uint8 updateCycle, bytes32 schemaHash, string code, string title);
    event Applied(uint64 indexed request, uint64 indexed dataset, string indexed requester,
        uint64 fieldMask, uint64 expiresAt, uint64 deadline);
    event Checked(uint64 indexed request, address indexed authority, bool passed, uint64 deadline,
        string note);
    event Extended(uint64 indexed request, address indexed provider, uint64 deadline,
        string reason);
    event Granted(uint64 indexed request, uint64 indexed dataset, string indexed requester,
        uint64 fieldMask, uint64 expiresAt);
    event Refused(uint64 indexed request, address indexed by, string reason);
    event Revoked(uint64 indexed request, address indexed by, string reason);
    event Accessed(uint64 indexed entry, uint64 indexed dataset, string indexed department,
        uint64 grant, bytes32 requester, uint8 outcome, uint8 verdict, uint64 fieldMask,
        bytes32 payloadHash);
    event Purged(uint64 indexed entry, uint64 indexed dataset, bytes32 payloadHash, string reason);

    // ---- the catalogue ----
    function publish(string calldata code, string calldata title, string[] calldata fields,
        uint8 sharingClass, uint8 updateCycle) external
        returns (uint64 dataset);
    function update(uint64 dataset, string calldata title, string[] calldata fields,
        uint8 sharingClass, uint8 updateCycle) external
        returns (uint64 version);
    function datasetCount() external view
        returns (uint64);
    function datasetOf(uint64 dataset) external view
        returns (string memory code, string memory provider, uint64 versions, uint64 createdAt);
    function versionOf(uint64 dataset, uint64 version) external view
        returns (uint64 number, string memory title, string[] memory fields, bytes32 schemaHash,
            uint8 sharingClass, uint8 updateCycle, uint64 publishedAt);
    function datasetByCode(string calldata code) external view
        returns (uint64 dataset);
    function datasetsOf(string calldata department, uint64 offset, uint64 count) external view
        returns (uint64 total, uint64[] memory datasets);
    function schemaHash(string[] calldata fields) external view
        returns (bytes32);

    // ---- applications and grants ----
    function applyFor(uint64 dataset, string calldata purpose, string calldata scenario,
        uint64 fieldMask, uint64 expiresAt) external
        returns (uint64 request);
    function check(uint64 request, bool pass, string calldata reason) external;
    function extend(uint64 request, string calldata reason) external;
    function approve(uint64 request, uint64 fieldMask) external;
    function refuse(uint64 request, string calldata reason) external;
    function revoke(uint64 request, string calldata reason) external;
    function requestCount() external view
        returns (uint64);
    function requestOf(uint64 request) external view
        returns (uint64 dataset, uint64 version, string memory requester, address applicant,
            string memory purpose, string memory scenario, uint64 requestedMask, uint64 grantedMask,
            uint64 expiresAt, uint64 appliedAt, uint8 state, uint64 deadline, bool extended,
            uint64 decidedAt, uint64 revokedAt, address decidedBy, string memory reason);
    function requestsOfDataset(uint64 dataset, uint64 offset, uint64 count) external view
        returns (uint64 total, uint64[] memory requests);
    function requestsOfDepartment(string calldata department, uint64 offset,
        uint64 count) external view
        returns (uint64 total, uint64[] memory requests);
    function openRequests() external view
        returns (uint64[] memory requests);
    function overdueRequests() external view
        returns (uint64[] memory requests);
    function grantOf(uint64 grant) external view
        returns (uint64 dataset, uint64 version, string memory requester, string memory purpose,
            uint64 fieldMask, uint64 grantedAt, uint64 expiresAt, uint64 revokedAt, uint8 state);
    function grantsOf(uint64 dataset, string calldata department) external view
        returns (uint64[] memory grants);
    function isGranted(uint64 dataset, string calldata department, uint64 fieldMask) external view
        returns (bytes1 code, string memory message, uint64 grant);
    function canUse(uint64 grant, string calldata department, uint64 fieldMask) external view
        returns (bytes1 code, string memory message);
    function departmentOf(address account) external view
        returns (string memory department);
    function deadlineAfter(uint64 time, uint8 workingDays) external view
        returns (uint64 deadline);

    // ---- the audit trail ----
    function recordAccess(uint64 dataset, uint64 grant, string calldata department,
        bytes32 requester, uint8 outcome, uint64 fieldMask, bytes32 payloadHash) external
        returns (uint64 entry);
    function recordPurge(uint64 entry, string calldata reason) external;
    function auditCount() external view
        returns (uint64);
    function auditEntry(uint64 entry) external view
        returns (uint64 dataset, uint64 grant, string memory department, bytes32 requester,
            uint8 outcome, uint8 verdict, uint64 fieldMask, bytes32 payloadHash, uint64 time,
            uint64 purgedAt);
    function auditOfDataset(uint64 dataset, uint64 offset, uint64 count) external view
        returns (uint64 total, uint64[] memory entries);
    function auditOfDepartment(string calldata department, uint64 offset,
        uint64 count) external view
        returns (uint64 total, uint64[] memory entries);
}
