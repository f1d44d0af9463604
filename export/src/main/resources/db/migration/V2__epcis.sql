-- GS1 EPCIS events as the chain shows them to every member. Each capture the trace contract
-- anchored (its Captured log) is a row of epcis_captures; the events of a capture not sealed
-- are read from its transaction's call data and checked as every node's index checks them
-- (their hash IDs give the anchored root back), then written as the nodes store them: an event
-- whose ID (its eventID, else its hash ID) an earlier capture holds is skipped. A sealed
-- capture's batch is encrypted for the organisations it names: only its row is here, its
-- events stay in those members' nodes. Identifiers are in the canonical form the nodes index
-- (GS1 Digital Link for GS1 keys: https://id.gs1.org/01/…/21/…), so an EPC URN and a Digital
-- Link of one object meet.

CREATE TABLE epcis_captures (
  block_number   bigint NOT NULL REFERENCES blocks,
  log_index      integer NOT NULL,
  tx_hash        text NOT NULL REFERENCES transactions,
  root           text NOT NULL UNIQUE,  -- the Merkle root of its events' hash IDs
  capture_number bigint NOT NULL UNIQUE, -- from 1, in the order the contract anchored them
  capturer       text NOT NULL,
  event_count    integer NOT NULL,
  -- Null when a contract called the trace contract: its batch is not in the block (the
  -- nodes do not index such a capture).
  sealed         boolean,
  organisations  text[],                -- who may read a sealed capture; null otherwise
  -- Whether its events are in epcis_events; if not, why (sealed, or what the nodes found
  -- wrong with it: they do not index such a capture either).
  events_exported boolean NOT NULL,
  not_exported    text,
  PRIMARY KEY (block_number, log_index),
  FOREIGN KEY (block_number, log_index) REFERENCES logs
);
CREATE INDEX epcis_captures_capturer ON epcis_captures (capturer, block_number);

-- One row per event stored, with what the common queries filter on; the event itself as
-- captured in event. record_time is the capture's block time, as the nodes record it.
CREATE TABLE epcis_events (
  id                     text PRIMARY KEY, -- eventID, else hash_id: GET /epcis/events/{id}
  hash_id                text NOT NULL,    -- CBV 2.0 event hash ID, ni:///sha-256;…?ver=CBV2.0
  event_id               text,
  type                   text NOT NULL,
  event_time             timestamptz NOT NULL,
  event_time_zone_offset text NOT NULL,
  record_time            timestamptz NOT NULL,
  action                 text,             -- ADD, OBSERVE, DELETE; null for a transformation
  biz_step               text,             -- CBV Web URI, e.g. https://ref.gs1.org/cbv/BizStep-shipping
  disposition            text,
  read_point             text,
  biz_location           text,
  capturer               text NOT NULL,
  block_number           bigint NOT NULL REFERENCES blocks,
  capture_log_index      integer NOT NULL,
  tx_hash                text NOT NULL REFERENCES transactions,
  batch_position         integer NOT NULL, -- its place in its capture's batch, from 0
  event                  jsonb NOT NULL,
  FOREIGN KEY (block_number, capture_log_index) REFERENCES epcis_captures
);
CREATE INDEX epcis_events_hash_id ON epcis_events (hash_id);
CREATE INDEX epcis_events_time ON epcis_events (event_time);
CREATE INDEX epcis_events_biz_step ON epcis_events (biz_step, event_time);
CREATE INDEX epcis_events_biz_location ON epcis_events (biz_location, event_time);
CREATE INDEX epcis_events_capturer ON epcis_events (capturer, event_time);
CREATE INDEX epcis_events_capture ON epcis_events (block_number, capture_log_index);

-- Each identifier an event names, with its role: an instance in epcList (epc), parentID
-- (parent), childEPCs (child), inputEPCList (input), outputEPCList (output); a class in
-- quantityList (quantity), childQuantityList (child_quantity), inputQuantityList
-- (input_quantity), outputQuantityList (output_quantity); a lot its ILMD puts what it
-- commissions or makes in (ilmd_lot, https://id.gs1.org/01/{gtin}/10/{lot}).
CREATE TABLE epcis_event_identifiers (
  event      text NOT NULL REFERENCES epcis_events,
  role       text NOT NULL CHECK (role IN ('epc', 'parent', 'child', 'input', 'output',
      'quantity', 'child_quantity', 'input_quantity', 'output_quantity', 'ilmd_lot')),
  identifier text NOT NULL,
  PRIMARY KEY (event, role, identifier)
);
CREATE INDEX epcis_event_identifiers_identifier ON epcis_event_identifiers (identifier, role);

-- The lot an event's ILMD puts each item (or GTIN class) it commissions or makes in: a lot's
-- items, which EPCIS does not otherwise link to it.
CREATE TABLE epcis_lot_items (
  lot   text NOT NULL,
  item  text NOT NULL,
  event text NOT NULL REFERENCES epcis_events,
  PRIMARY KEY (lot, item, event)
);
CREATE INDEX epcis_lot_items_item ON epcis_lot_items (item);

-- The first block whose captures these tables hold: 0 on a fresh database; on one exported
-- before this version, the block after the last then exported (earlier blocks are not read
-- again: export into a fresh database to have their captures too).
CREATE TABLE epcis_export_start (
  id         smallint PRIMARY KEY CHECK (id = 1),
  from_block bigint NOT NULL
);
INSERT INTO epcis_export_start (id, from_block)
  SELECT 1, coalesce((SELECT last_block + 1 FROM export_progress WHERE id = 1), 0);
