// The browser verifier against the Java one: node's BrowserProofTest writes proof bundles of
// every kind in both suites, tampered copies and the Java verdicts, and names them in
// CHORUS_PROOF_CASES; each case must get the same verdict here — the same facts, block, signers
// and validator-set hops when proven, the same message when not — and each genesis file the same
// genesis hash. Without that variable (node --test run alone) the test is skipped.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {trustRootFromGenesis, trustRootFromJson, verifyBundle, verifyNotaryProof}
  from '../../main/resources/io/chorus/console/site/crypto/proof.js';
import {toHex} from '../../main/resources/io/chorus/console/site/crypto/hash.js';

const casesFile = process.env.CHORUS_PROOF_CASES;

test('java verdicts: the browser verifier agrees on every bundle', {skip: !casesFile
  && 'CHORUS_PROOF_CASES is set by the node module\'s BrowserProofTest'}, () => {
  const cases = JSON.parse(readFileSync(casesFile, 'utf8'));
  assert.ok(cases.length > 40, `only ${cases.length} cases`);
  let proven = 0, refused = 0;
  for (const c of cases) {
    const root = c.genesis ? trustRootFromGenesis(readFileSync(c.genesis, 'utf8'))
      : trustRootFromJson(c.trustRoot);
    if (c.genesisHash) {
      assert.equal(toHex(root.genesisHash), c.genesisHash, `${c.name}: the genesis hash`);
    }
    if (!c.bundle) {
      continue;
    }
    const text = readFileSync(c.bundle, 'utf8');
    const started = performance.now();
    const verdict = verifyBundle(text, root);
    const ms = performance.now() - started;
    if (c.java.proven) {
      proven++;
      assert.deepEqual(verdict, c.java, `${c.name}: ${verdict.reason ?? ''}`);
      console.log(`# ${c.name}: proven in ${ms.toFixed(0)} ms`);
    } else {
      refused++;
      assert.equal(verdict.proven, false, `${c.name} is proven here, Java says: ${c.java.reason}`);
      assert.equal(verdict.reason, c.java.reason, `${c.name}: step ${verdict.step}`);
    }
    if (c.notary) {
      const evidence = verifyNotaryProof(text, root, c.digest);
      if (c.notary.proven) {
        const {proof, ...fields} = evidence;
        assert.deepEqual(fields, c.notary, `${c.name}: ${evidence.reason ?? ''}`);
        assert.deepEqual(proof, c.java, `${c.name}: the notary proof's verdict`);
      } else {
        assert.equal(evidence.proven, false, `${c.name} notarizes here; Java: ${c.notary.reason}`);
        assert.equal(evidence.reason, c.notary.reason, c.name);
      }
    }
  }
  assert.ok(proven >= 10 && refused >= 20, `${proven} proven, ${refused} refused`);
});
