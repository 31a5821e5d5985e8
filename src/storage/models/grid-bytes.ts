/**
 * Float64Array ↔ bytea. Cells are stored little-endian whatever the host, so a database moved
 * between machines still reads back the same numbers (every current Node platform is
 * little-endian, where this is a plain copy).
 */
import { endianness } from 'node:os';

const HOST_IS_LITTLE_ENDIAN = endianness() === 'LE';

export function float64ToBytes(values: Float64Array): Uint8Array {
  if (HOST_IS_LITTLE_ENDIAN) {
    return new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength));
  }
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setFloat64(i * 8, v, true));
  return bytes;
}

/** A fresh, aligned Float64Array (drivers hand out byte views at any offset). */
export function bytesToFloat64(bytes: Uint8Array): Float64Array {
  if (bytes.byteLength % 8 !== 0)
    throw new RangeError(`${bytes.byteLength} bytes is not a whole number of float64`);
  const values = new Float64Array(bytes.byteLength / 8);
  if (HOST_IS_LITTLE_ENDIAN) {
    new Uint8Array(values.buffer).set(bytes);
    return values;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < values.length; i++) values[i] = view.getFloat64(i * 8, true);
  return values;
}
