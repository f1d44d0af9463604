// Government data sharing (政务数据共享) as the pages show it: deadlines counted in working days
// as the DataSharing contract counts them (Monday to Friday in China Standard Time, UTC+8, no
// holidays), field masks as the names they select, and a department's name read from the
// chain's answer to departmentOf(address). Pure: tested under node --test without a browser.

export const SHARING_CONTRACT = '0x0000000000000000000000000000000000001005';
const DAY = 86400;
const CST = 8 * 3600;

// Whether the CST day that starts at `dayStart` (seconds, a CST midnight) is Monday to Friday.
function isWorkingDay(dayStart) {
  const weekday = new Date((dayStart + CST) * 1000).getUTCDay(); // 0 Sunday … 6 Saturday
  return weekday >= 1 && weekday <= 5;
}

// Where a deadline stands at `now` (both seconds since the epoch). A deadline is a CST midnight,
// the end of the last working day allowed: overdue once it has passed, else the working days
// left including the rest of today when today is one (a deadline of tonight leaves 1).
export function deadlineStatus(deadline, now) {
  if (now >= deadline) return {overdue: true, workingDays: 0};
  const today = Math.floor((now + CST) / DAY) * DAY - CST;
  let workingDays = 0;
  for (let day = today; day < deadline; day += DAY) {
    if (isWorkingDay(day)) workingDays++;
  }
  return {overdue: false, workingDays};
}

// The CST day a deadline ends ("2026-12-08"): it falls at midnight after that day.
export function deadlineDay(deadline) {
  return new Date((deadline - 1 + CST) * 1000).toISOString().slice(0, 10);
}

// The names a field mask ("0x3", or a number) selects from a schema: bit i is field i.
export function maskFields(mask, fields) {
  const bits = BigInt(mask);
  return fields.filter((_, i) => (bits >> BigInt(i)) & 1n);
}

// The string an eth_call of departmentOf(address) returned (ABI-encoded), '' for none.
export function decodeString(answer) {
  const hex = String(answer || '').replace(/^0x/, '');
  if (hex.length < 128) return '';
  const start = Number(BigInt('0x' + hex.slice(0, 64))) * 2;
  const length = Number(BigInt('0x' + hex.slice(start, start + 64)));
  const body = hex.slice(start + 64, start + 64 + 2 * length);
  const bytes = new Uint8Array(body.match(/../g)?.map(b => parseInt(b, 16)) || []);
  return new TextDecoder().decode(bytes);
}
