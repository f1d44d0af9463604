// RLP as Chorus's codec module reads and writes it. The reader is strict like io.chorus.codec
// .RlpReader: only the canonical encoding (a byte below 0x80 stands alone, short forms up to 55
// bytes, lengths without leading zeros) and no item running past its list or the input, so a
// proof the Java verifier refuses as malformed is refused here too.

/** Malformed RLP: says what is wrong and at which byte offset of the input. */
export class RlpError extends Error {
  constructor(problem, offset) {
    super(`RLP at offset ${offset}: ${problem}`);
    this.offset = offset;
  }
}

/** A reader positioned before an item of data[position, end). */
export class RlpReader {
  constructor(data, start = 0, end = data.length, scope = 'input') {
    this.data = data;
    this.position = start;
    this.end = end;
    this.scope = scope;
  }

  hasNext() {
    return this.position < this.end;
  }

  nextIsList() {
    this.requireNext();
    return this.data[this.position] >= 0xc0;
  }

  /** A byte string item, as a view into the input. */
  readBytes() {
    const [start, end] = this.header(false);
    this.position = end;
    return this.data.subarray(start, end);
  }

  /** A byte string of exactly size bytes, such as an address or a hash. */
  readSized(size, field) {
    const at = this.position;
    const bytes = this.readBytes();
    if (bytes.length !== size) {
      throw new RlpError(`${field} must be ${size} bytes, found ${bytes.length}`, at);
    }
    return bytes;
  }

  /** A list item: a reader over its payload; this reader moves past it. */
  readList() {
    const [start, end] = this.header(true);
    this.position = end;
    return new RlpReader(this.data, start, end, 'enclosing list');
  }

  /** The whole encoding (header and payload) of the next item, skipped. */
  readRaw() {
    this.requireNext();
    const start = this.position;
    this.position = this.header(this.data[start] >= 0xc0)[1];
    return this.data.subarray(start, this.position);
  }

  skip() {
    this.requireNext();
    this.position = this.header(this.data[this.position] >= 0xc0)[1];
  }

  /** An unsigned scalar of at most maxBytes bytes without leading zeros, as a BigInt. */
  readScalar(field, maxBytes = 8) {
    const at = this.position;
    if (this.hasNext() && this.nextIsList()) {
      throw new RlpError(`${field} must be a byte string, found a list`, at);
    }
    const bytes = this.readBytes();
    if (bytes.length > maxBytes) {
      throw new RlpError(`${field} is ${bytes.length} bytes, more than the ${maxBytes} allowed`,
        at);
    }
    if (bytes.length > 0 && bytes[0] === 0) {
      throw new RlpError(`${field} has leading zero bytes`, at);
    }
    return bytesToBigInt(bytes);
  }

  requireEnd(what) {
    if (this.position !== this.end) {
      throw new RlpError(`${what} has unexpected extra data`, this.position);
    }
  }

  requireNext() {
    if (this.position >= this.end) {
      throw new RlpError('expected an item, found the end of the input', this.position);
    }
  }

  /** [payloadStart, payloadEnd] of the item at the position. */
  header(wantList) {
    this.requireNext();
    const at = this.position;
    const prefix = this.data[at];
    const isList = prefix >= 0xc0;
    if (isList !== wantList) {
      throw new RlpError(wantList ? 'expected a list, found a byte string'
        : 'expected a byte string, found a list', at);
    }
    const base = isList ? 0xc0 : 0x80;
    if (!isList && prefix < 0x80) {
      return [at, at + 1];
    }
    let payloadStart;
    let length;
    if (prefix - base <= 55) {
      length = prefix - base;
      payloadStart = at + 1;
      if (!isList && length === 1) {
        this.requireAvailable(at, payloadStart, 1);
        if (this.data[payloadStart] < 0x80) {
          throw new RlpError('single byte below 0x80 must be encoded as itself', at);
        }
      }
    } else {
      const lengthOfLength = prefix - base - 55;
      this.requireAvailable(at, at + 1, lengthOfLength);
      if (this.data[at + 1] === 0) {
        throw new RlpError('length has leading zero bytes', at);
      }
      length = 0;
      for (let i = 0; i < lengthOfLength; i++) {
        length = length * 256 + this.data[at + 1 + i];
      }
      if (length <= 55) {
        throw new RlpError(`length ${length} must use the short form`, at);
      }
      payloadStart = at + 1 + lengthOfLength;
    }
    this.requireAvailable(at, payloadStart, length);
    return [payloadStart, payloadStart + length];
  }

  requireAvailable(itemStart, from, length) {
    if (length > this.end - from) {
      throw new RlpError(`item of ${length} bytes runs past the end of its ${this.scope}`
        + ` (${this.end - from} bytes left)`, itemStart);
    }
  }
}

/** A reader over all of input. */
export function reader(input) {
  return new RlpReader(input);
}

export function bytesToBigInt(bytes) {
  let value = 0n;
  for (const b of bytes) {
    value = (value << 8n) | BigInt(b);
  }
  return value;
}

/** The minimal big-endian bytes of a non-negative BigInt (zero is empty). */
export function bigIntToBytes(value) {
  if (value < 0n) {
    throw new Error(`RLP scalars are unsigned, got ${value}`);
  }
  const hex = value === 0n ? '' : value.toString(16);
  const digits = hex.length % 2 ? '0' + hex : hex;
  const out = new Uint8Array(digits.length / 2);
  for (let i = 0; i < out.length; i++) {
    out[i] = parseInt(digits.substr(2 * i, 2), 16);
  }
  return out;
}

export function concat(...parts) {
  let length = 0;
  for (const p of parts) {
    length += p.length;
  }
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function headed(base, length) {
  if (length <= 55) {
    return Uint8Array.of(base + length);
  }
  const lengthBytes = bigIntToBytes(BigInt(length));
  return concat(Uint8Array.of(base + 55 + lengthBytes.length), lengthBytes);
}

export function encodeBytes(value) {
  if (value.length === 1 && value[0] < 0x80) {
    return Uint8Array.of(value[0]);
  }
  return concat(headed(0x80, value.length), value);
}

/** An unsigned integer (Number or BigInt) in minimal big-endian form. */
export function encodeScalar(value) {
  return encodeBytes(bigIntToBytes(BigInt(value)));
}

/** A list of already-encoded items. */
export function encodeList(items) {
  const payload = concat(...items);
  return concat(headed(0xc0, payload.length), payload);
}

export function equalBytes(a, b) {
  if (a.length !== b.length) {
    return false;
  }
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) {
      return false;
    }
  }
  return true;
}
