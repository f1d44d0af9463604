// The sharing pages' arithmetic: working days left to a deadline as the DataSharing contract
// counts them (Monday to Friday, China Standard Time), field masks as names, and the ABI string
// departmentOf returns. Dates are worked out by hand from a calendar (2026-12-04 is a Friday).
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {deadlineDay, deadlineStatus, decodeString, maskFields}
  from '../../main/resources/io/chorus/console/site/sharing.js';

const cst = iso => Date.parse(iso + '+08:00') / 1000;

test('working days left count Monday to Friday in UTC+8, today included', () => {
  // Applied on Friday at 15:00: 2 working days end at Tuesday 24:00 (Wednesday 00:00).
  const due = cst('2026-12-09T00:00:00');
  assert.deepEqual(deadlineStatus(due, cst('2026-12-04T15:00:00')),
    {overdue: false, workingDays: 3});
  assert.deepEqual(deadlineStatus(due, cst('2026-12-05T12:00:00')),
    {overdue: false, workingDays: 2}, 'Saturday: Monday and Tuesday');
  assert.deepEqual(deadlineStatus(due, cst('2026-12-08T23:59:59')),
    {overdue: false, workingDays: 1}, 'Tuesday night: the rest of today');
  assert.deepEqual(deadlineStatus(due, cst('2026-12-08T07:00:00')),
    {overdue: false, workingDays: 1}, 'Tuesday 07:00 in Beijing, still Monday in UTC');
  // 2026-12-08 16:30 UTC is already Wednesday 00:30 in Beijing.
  assert.deepEqual(deadlineStatus(due, Date.parse('2026-12-08T16:30:00Z') / 1000),
    {overdue: true, workingDays: 0});
  assert.equal(deadlineStatus(due, due).overdue, true, 'midnight itself is past it');
  assert.equal(deadlineDay(due), '2026-12-08', 'the last day allowed, in Beijing');
});

test('a field mask names the schema fields of its bits', () => {
  const fields = ['name', 'id_number', 'address', 'household', 'birth_date'];
  assert.deepEqual(maskFields('0xb', fields), ['name', 'id_number', 'household']);
  assert.deepEqual(maskFields('0x0', fields), []);
  assert.deepEqual(maskFields(16, fields), ['birth_date']);
});

test('departmentOf\'s ABI string decodes as UTF-8, none as empty', () => {
  const name = Buffer.from('市民政局', 'utf8');
  const word = n => n.toString(16).padStart(64, '0');
  const answer = '0x' + word(32) + word(name.length) + name.toString('hex').padEnd(64, '0');
  assert.equal(decodeString(answer), '市民政局');
  assert.equal(decodeString('0x' + word(32) + word(0)), '');
  assert.equal(decodeString('0x'), '');
});
