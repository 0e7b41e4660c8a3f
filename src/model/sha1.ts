// SHA-1 (FIPS 180-4, section 6.1) in plain JavaScript, for the report's short ids (short-id.ts): a report hashes a
// few short keys, and loading node:crypto for them cost a diagnosis about a tenth of Node's own start-up.

const rotateLeft = (value: number, bits: number): number => (value << bits) | (value >>> (32 - bits));

/** The SHA-1 of `bytes` as 40 lowercase hex digits, as node:crypto's createHash('sha1') gives it. */
export function sha1Hex(bytes: Uint8Array): string {
  // Padding (5.1.1): the bytes, 0x80, zeros, then the length in bits as 64 bits, to a whole number of 64-byte blocks.
  const blockCount = ((bytes.length + 8) >> 6) + 1;
  const words = new Uint32Array(blockCount * 16);
  for (let i = 0; i < bytes.length; i++) words[i >> 2]! |= bytes[i]! << (24 - (i & 3) * 8);
  words[bytes.length >> 2]! |= 0x80 << (24 - (bytes.length & 3) * 8);
  const bitLength = bytes.length * 8;
  words[blockCount * 16 - 2] = Math.floor(bitLength / 0x100000000);
  words[blockCount * 16 - 1] = bitLength >>> 0;
  const state = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];
  const schedule = new Uint32Array(80);
  for (let block = 0; block < blockCount; block++) {
    for (let t = 0; t < 16; t++) schedule[t] = words[block * 16 + t]!;
    for (let t = 16; t < 80; t++) schedule[t] = rotateLeft(schedule[t - 3]! ^ schedule[t - 8]! ^ schedule[t - 14]! ^ schedule[t - 16]!, 1);
    let [a, b, c, d, e] = state as [number, number, number, number, number];
    for (let t = 0; t < 80; t++) {
      const [f, k] =
        t < 20 ? [(b & c) | (~b & d), 0x5a827999] : t < 40 ? [b ^ c ^ d, 0x6ed9eba1] : t < 60 ? [(b & c) | (b & d) | (c & d), 0x8f1bbcdc] : [b ^ c ^ d, 0xca62c1d6];
      const next = (rotateLeft(a, 5) + f + e + k + schedule[t]!) | 0;
      e = d;
      d = c;
      c = rotateLeft(b, 30);
      b = a;
      a = next;
    }
    state[0] = (state[0]! + a) | 0;
    state[1] = (state[1]! + b) | 0;
    state[2] = (state[2]! + c) | 0;
    state[3] = (state[3]! + d) | 0;
    state[4] = (state[4]! + e) | 0;
  }
  return state.map((word) => (word >>> 0).toString(16).padStart(8, '0')).join('');
}
