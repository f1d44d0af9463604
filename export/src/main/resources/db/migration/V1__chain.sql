-- The chain as chorus export writes it. Addresses and hashes are lower-case 0x-hex text (what
-- the node's JSON-RPC answers, and what joins with other systems' identifiers); amounts are
-- NUMERIC in wei; times are the blocks' timestamps. Blocks are final on Chorus (BFT): a row,
-- once written, never changes, except the proposal status that later votes move.

-- One row: which chain this schema holds, and the last block written with all its rows (each
-- block and this row change in one transaction, so a crash never leaves a block half there).
CREATE TABLE export_progress (
  id           smallint PRIMARY KEY CHECK (id = 1),
  chain_id     numeric NOT NULL,
  genesis_hash text NOT NULL,
  last_block   bigint NOT NULL,
  updated_at   timestamptz NOT NULL
);

CREATE TABLE blocks (
  number          bigint PRIMARY KEY,
  hash            text NOT NULL UNIQUE,
  parent_hash     text NOT NULL,
  time            timestamptz NOT NULL,
  miner           text NOT NULL,
  proposer        text,            -- chorus_getBlockConsensus: the validator that proposed it
  consensus_round integer,         -- null without a commit certificate (genesis, dev chains)
  signers         integer NOT NULL,
  gas_used        bigint NOT NULL,
  gas_limit       bigint NOT NULL,
  base_fee        numeric,
  tx_count        integer NOT NULL
);
CREATE INDEX blocks_time ON blocks (time);
CREATE INDEX blocks_proposer ON blocks (proposer, number);

CREATE TABLE transactions (
  hash                text PRIMARY KEY,
  block_number        bigint NOT NULL REFERENCES blocks,
  tx_index            integer NOT NULL,
  time                timestamptz NOT NULL,   -- the block's, for queries by address and time
  from_address        text NOT NULL,
  to_address          text,                   -- null for a creation
  contract_created    text,
  value               numeric(78, 0) NOT NULL,
  nonce               bigint NOT NULL,
  tx_type             smallint NOT NULL,
  gas_limit           bigint NOT NULL,
  gas_used            bigint NOT NULL,
  effective_gas_price numeric(78, 0) NOT NULL,
  status              smallint NOT NULL,      -- 1 success, 0 failed
  input_selector      text,                   -- the first four bytes of the input, if four
  input_bytes         integer NOT NULL,
  UNIQUE (block_number, tx_index)
);
CREATE INDEX transactions_from_time ON transactions (from_address, time);
CREATE INDEX transactions_to_time ON transactions (to_address, time);
CREATE INDEX transactions_time ON transactions (time);

CREATE TABLE logs (
  block_number bigint NOT NULL REFERENCES blocks,
  log_index    integer NOT NULL,          -- position in the block
  tx_hash      text NOT NULL REFERENCES transactions,
  address      text NOT NULL,
  topic0       text,
  topic1       text,
  topic2       text,
  topic3       text,
  data         text NOT NULL,
  PRIMARY KEY (block_number, log_index)
);
CREATE INDEX logs_address ON logs (address, block_number);
CREATE INDEX logs_topic0 ON logs (topic0, block_number);
CREATE INDEX logs_tx ON logs (tx_hash);

-- Who each transaction touched at its top level: its sender, recipient and created contract.
CREATE TABLE accounts_touched (
  tx_hash      text NOT NULL REFERENCES transactions,
  role         text NOT NULL CHECK (role IN ('sender', 'recipient', 'created')),
  address      text NOT NULL,
  block_number bigint NOT NULL REFERENCES blocks,
  PRIMARY KEY (tx_hash, role)
);
CREATE INDEX accounts_touched_address ON accounts_touched (address, block_number);

-- The validator set deciding each block compared with the block before's (genesis: all added).
CREATE TABLE validator_changes (
  block_number bigint NOT NULL REFERENCES blocks,
  validator    text NOT NULL,
  change       text NOT NULL CHECK (change IN ('added', 'removed')),
  PRIMARY KEY (block_number, validator)
);
CREATE INDEX validator_changes_validator ON validator_changes (validator, block_number);

-- From the governance contract's Proposed and Voted events; kind and fields from
-- chorus_govProposal. status follows the votes: active, passed, rejected (a proposal that
-- passed takes effect at the next block; expiry and execution emit no event).
CREATE TABLE governance_proposals (
  id           bigint PRIMARY KEY,
  kind         text NOT NULL,
  kind_code    smallint NOT NULL,
  fields       jsonb NOT NULL,
  proposer     text NOT NULL,
  expires_at   bigint NOT NULL,
  status       text NOT NULL,
  block_number bigint NOT NULL REFERENCES blocks,
  tx_hash      text NOT NULL REFERENCES transactions
);
CREATE INDEX governance_proposals_proposer ON governance_proposals (proposer);

CREATE TABLE governance_votes (
  block_number bigint NOT NULL REFERENCES blocks,
  log_index    integer NOT NULL,
  proposal_id  bigint NOT NULL REFERENCES governance_proposals,
  member       text NOT NULL,
  approve      boolean NOT NULL,
  status_after text NOT NULL,
  tx_hash      text NOT NULL REFERENCES transactions,
  PRIMARY KEY (block_number, log_index)
);
CREATE INDEX governance_votes_proposal ON governance_votes (proposal_id);

-- Each version of a notary record, from the notary contract's Recorded events.
CREATE TABLE notary_records (
  record_id    text NOT NULL,
  version      integer NOT NULL,
  hash         text NOT NULL,
  algorithm    smallint NOT NULL,
  record_type  text NOT NULL,
  metadata     text NOT NULL,
  depositor    text NOT NULL,
  block_number bigint NOT NULL REFERENCES blocks,
  log_index    integer NOT NULL,
  tx_hash      text NOT NULL REFERENCES transactions,
  PRIMARY KEY (record_id, version)
);
CREATE INDEX notary_records_hash ON notary_records (hash);
CREATE INDEX notary_records_depositor ON notary_records (depositor, block_number);

-- Every log the node's chorus_decodeTransaction decodes: by a system contract's ABI (source
-- 'system'), an uploaded ABI ('abi') or the well-known signature table ('signature-table').
-- arguments: [{name, type, value}] as the node gives them (numbers as decimal strings).
CREATE TABLE decoded_events (
  block_number  bigint NOT NULL REFERENCES blocks,
  log_index     integer NOT NULL,
  tx_hash       text NOT NULL REFERENCES transactions,
  address       text NOT NULL,
  contract_name text,
  event_name    text NOT NULL,
  signature     text NOT NULL,
  source        text NOT NULL,
  arguments     jsonb NOT NULL,
  PRIMARY KEY (block_number, log_index),
  FOREIGN KEY (block_number, log_index) REFERENCES logs
);
CREATE INDEX decoded_events_name ON decoded_events (contract_name, event_name, block_number);
CREATE INDEX decoded_events_address ON decoded_events (address, block_number);
