/**
 * Typed columns that a worker thread can read and write without a copy: backed by a SharedArrayBuffer when
 * `shared`, else an ordinary ArrayBuffer (the same values either way; wait-sweep-threads.ts).
 */
export function int32Column(length: number, shared: boolean): Int32Array {
  return shared ? new Int32Array(new SharedArrayBuffer(4 * length)) : new Int32Array(length);
}

export function float64Column(length: number, shared: boolean): Float64Array {
  return shared ? new Float64Array(new SharedArrayBuffer(8 * length)) : new Float64Array(length);
}

export function uint8Column(length: number, shared: boolean): Uint8Array {
  return shared ? new Uint8Array(new SharedArrayBuffer(length)) : new Uint8Array(length);
}
