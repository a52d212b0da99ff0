/**
 * Chunk buffers carved out of larger blocks. Allocating a fresh typed array for every chunk
 * costs an off-heap allocation (and its later finalisation) per chunk — more than the DSP on
 * a 512-sample chunk. A slab hands out views into one block until it is used up, then starts
 * a new block; the old block is freed once no chunk refers to it. Each view is owned by the
 * chunk it was handed to (views never overlap), so downstream code may keep chunks.
 *
 * @example const slab = createSlab(Int32Array, 4096); slab.take(512) → a fresh Int32Array(512) view
 * Cost: O(1) per take; one allocation per `blockLength` elements.
 */
type TypedArray = Int32Array | Uint8Array | Float64Array | Uint16Array;
type TypedArrayConstructor<T extends TypedArray> = {
  new (length: number): T;
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): T;
  readonly BYTES_PER_ELEMENT: number;
};

export interface Slab<T extends TypedArray> {
  /** A zero-filled view of `length` elements that no other take shares. */
  take(length: number): T;
}

export function createSlab<T extends TypedArray>(ctor: TypedArrayConstructor<T>, blockLength = 65536): Slab<T> {
  let block = new ctor(0);
  let used = 0;
  return {
    take(length: number): T {
      if (length > blockLength) return new ctor(length);
      if (used + length > block.length) {
        block = new ctor(blockLength);
        used = 0;
      }
      // A view made by the constructor: cheaper than subarray(), which looks up a species.
      const view = new ctor(block.buffer, block.byteOffset + used * ctor.BYTES_PER_ELEMENT, length);
      used += length;
      return view;
    },
  };
}
