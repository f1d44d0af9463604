// GS1 codes as people paste them: a Digital Link (on any host) or an EPC URN of a trade item,
// turned into the path the node's resolver takes (01/{gtin}[/10/{lot}][/21/{serial}]).
const TRACE_CONTRACT = '0x0000000000000000000000000000000000001003';

// The GS1 mod-10 check digit of a string of digits.
export function checkDigit(digits) {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    sum += Number(digits[i]) * ((digits.length - i) % 2 === 1 ? 3 : 1);
  }
  return (10 - sum % 10) % 10;
}

// The resolver path of a Digital Link or an sgtin/lgtin URN; null for anything else.
export function digitalLinkPath(text) {
  const s = text.trim();
  const urn = s.match(/^urn:epc:(id:sgtin|class:lgtin):(\d{6,12})\.(\d{1,7})\.(.{1,20})$/);
  if (urn && urn[2].length + urn[3].length === 13) {
    const body = urn[3][0] + urn[2] + urn[3].slice(1);
    return `01/${body}${checkDigit(body)}/${urn[1] === 'id:sgtin' ? '21' : '10'}/${urn[4]}`;
  }
  const link = s.match(/^(?:https?:\/\/[^/]+)?\/?(?:.*?\/)?(01\/\d{8,14}(?:\/(?:22|10|21)\/[^/?#]+)*)\/?(?:[?#].*)?$/);
  return link ? link[1] : null;
}

// What a console link for an identifier the resolver knows is: its path, or null (an SSCC...).
export function productPath(identifier) {
  const m = identifier.match(/^https:\/\/id\.gs1\.org\/(01\/.+)$/);
  return m ? m[1] : null;
}

// A short name for an identifier in a graph: its key and last value (01/…/21/A1 → "21/A1").
export function shortName(identifier) {
  const parts = identifier.replace(/^https:\/\/id\.gs1\.org\//, '').split('/');
  return parts.length >= 2 ? parts.slice(-2).join('/') : identifier;
}

// The digest an event's CBV 2.0 hash ID names (ni:///sha-256;HEX?ver=CBV2.0), 0x-hex.
export function hashIdDigest(hashId) {
  const m = /^ni:\/\/\/sha-256;([0-9a-f]{64})\?ver=CBV2\.0$/.exec(hashId);
  return m ? '0x' + m[1] : null;
}

// Whether a verified log bundle (verifyBundle's verdict) anchors the event with hashId: a log
// of the trace contract whose batch path leads from that hash ID's digest to its root.
export function anchorsEvent(verdict, hashId) {
  if (!verdict.proven) return {proven: false, step: verdict.step, reason: verdict.reason};
  const facts = verdict.facts;
  if (facts['log.address'] !== TRACE_CONTRACT) {
    return {proven: false, step: 'trace', reason: `the log is ${facts['log.address']}'s, not`
      + ` the trace contract's (${TRACE_CONTRACT})`};
  }
  const digest = hashIdDigest(hashId);
  if (digest === null || facts['batch.leaf'] !== digest) {
    return {proven: false, step: 'trace', reason: `the batch path proves ${facts['batch.leaf']},`
      + ` not the digest of ${hashId}`};
  }
  return {proven: true, blockNumber: verdict.blockNumber, timestamp: verdict.timestamp,
    signers: verdict.signers.length};
}
