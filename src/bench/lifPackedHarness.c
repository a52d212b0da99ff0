/*
 * The generic LIF engine's `packed` delivery (src/snn/lifEngine.ts, genericSource, with
 * addPacked / addPackedScaled of src/snn/lifDelivery.ts and the neuron update of
 * src/snn/lifNeuron.ts) in C99, for `edgespike bench`: the C twin the TypeScript generic engine
 * is timed against (issue 15: within 2x of C). It reads one network and its input spikes from a
 * file written by src/bench/lifPackedC.ts, runs them `repeat` times from rest, chunk by chunk as
 * the TypeScript does, and prints the best CPU time (clock_gettime of the process) and the
 * final state, which the bench compares with the TypeScript engine's field by field.
 *
 *   lif_packed_harness FILE REPEAT
 *   → "seconds S", then one line per state array: "NAME v0 v1 ...", then the counters
 *
 * File: little-endian int32 words: the magic 0x4C494650 ("LIFP"), N, I, ringSize, stateMin,
 * stateMax, runs, synapses, ticks, chunks; then per neuron threshold (stateMax + 1 for a
 * non-spiking neuron: never reached), memShift, excShift, inhShift, bias, resetToZero,
 * refractoryTicks, membraneMin, outputIndex; rowRun (I + N + 1), runFrom (runs + 1), runDelay
 * (runs), packed (synapses), chunkTicks (chunks); then ticks × I input counts, one byte each.
 *
 * The same integer operations in the same order as the TypeScript: every state fits int32
 * (stateBits <= 32), and the pending sums do too (the plan's exactSums: the packed delivery is
 * only used then), so int32_t holds every value the TypeScript's doubles do; >> of a negative
 * value is arithmetic, as JavaScript's (gcc and clang; C99 leaves it to the implementation).
 */
#define _POSIX_C_SOURCE 199309L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
  int32_t n, inputs, ring, state_min, state_max, runs, synapses, ticks, chunks;
  int32_t *threshold, *mem_shift, *exc_shift, *inh_shift, *bias, *reset_to_zero, *refractory_ticks, *membrane_min, *output_index;
  int32_t *row_run, *run_from, *run_delay, *packed, *chunk_ticks;
  uint8_t *input;
  /* State. */
  int32_t *exc, *inh, *membrane, *refractory_left, *pending, *spike_count;
  uint8_t *slot_active;
  int32_t slot;
  int64_t tick, syn_ops, neuron_updates, written;
} net_t;

static double cpu_now(void) {
  struct timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void *need(size_t bytes) {
  void *p = calloc(bytes == 0 ? 1 : bytes, 1);
  if (p == NULL) {
    fprintf(stderr, "lif_packed_harness: out of memory\n");
    exit(1);
  }
  return p;
}

static int32_t *read_words(FILE *f, size_t count) {
  int32_t *a = need(count * sizeof(int32_t));
  size_t i;
  for (i = 0; i < count; i++) {
    uint8_t b[4];
    if (fread(b, 1, 4, f) != 4) {
      fprintf(stderr, "lif_packed_harness: the file ends early\n");
      exit(1);
    }
    a[i] = (int32_t)((uint32_t)b[0] | ((uint32_t)b[1] << 8) | ((uint32_t)b[2] << 16) | ((uint32_t)b[3] << 24));
  }
  return a;
}

static void reset(net_t *w) {
  memset(w->exc, 0, (size_t)w->n * sizeof(int32_t));
  memset(w->inh, 0, (size_t)w->n * sizeof(int32_t));
  memset(w->membrane, 0, (size_t)w->n * sizeof(int32_t));
  memset(w->refractory_left, 0, (size_t)w->n * sizeof(int32_t));
  memset(w->spike_count, 0, (size_t)w->n * sizeof(int32_t));
  memset(w->pending, 0, (size_t)w->ring * 2 * (size_t)w->n * sizeof(int32_t));
  memset(w->slot_active, 0, (size_t)w->ring);
  w->slot = 0;
  w->tick = 0;
  w->syn_ops = 0;
  w->neuron_updates = 0;
  w->written = 0;
}

/* Row `row`'s runs into their ring slots, `count` spikes per synapse (planRowSource). */
static void deliver(net_t *w, int32_t row, int32_t count) {
  const int32_t stride = 2 * w->n;
  int32_t k;
  const int32_t run_end = w->row_run[row + 1];
  for (k = w->row_run[row]; k < run_end; k++) {
    int32_t due = w->slot + w->run_delay[k];
    int32_t s;
    const int32_t from = w->run_from[k], end = w->run_from[k + 1];
    int32_t *pending;
    if (due >= w->ring) due -= w->ring;
    pending = w->pending + (size_t)due * (size_t)stride;
    if (count == 1) {
      for (s = from; s < end; s++) {
        const int32_t p = w->packed[s];
        pending[p & 0xffff] += p >> 16;
      }
    } else {
      for (s = from; s < end; s++) {
        const int32_t p = w->packed[s];
        pending[p & 0xffff] += (p >> 16) * count;
      }
    }
    w->slot_active[due] = 1;
  }
  w->syn_ops += (int64_t)count * (w->run_from[run_end] - w->run_from[w->row_run[row]]);
}

/* `ticks` ticks of input from `input` (genericSource's chunk function, output events counted). */
static void run_chunk(net_t *w, const uint8_t *input, int32_t ticks) {
  const int32_t n_count = w->n, stride = 2 * w->n;
  int32_t t, i, n;
  for (t = 0; t < ticks; t++, w->tick++) {
    const uint8_t *in = input + (size_t)t * (size_t)w->inputs;
    int32_t *pending;
    int active;
    for (i = 0; i < w->inputs; i++) {
      const int32_t count = in[i];
      if (count == 0) continue;
      deliver(w, i, count);
    }
    pending = w->pending + (size_t)w->slot * (size_t)stride;
    active = w->slot_active[w->slot] == 1;
    w->slot_active[w->slot] = 0;
    for (n = 0; n < n_count; n++) {
      int32_t e = w->exc[n], h = w->inh[n], v = w->membrane[n];
      e -= e >> w->exc_shift[n];
      h -= h >> w->inh_shift[n];
      if (active) {
        e += pending[n];
        pending[n] = 0;
        if (e > w->state_max) e = w->state_max;
        h += pending[n_count + n];
        pending[n_count + n] = 0;
        if (h < w->state_min) h = w->state_min;
      }
      if (w->refractory_left[n] > 0) {
        w->refractory_left[n]--;
        v = 0;
      } else {
        v = v - (v >> w->mem_shift[n]) + e + h + w->bias[n];
        if (v > w->state_max) v = w->state_max;
        else if (v < w->membrane_min[n]) v = w->membrane_min[n];
        if (v >= w->threshold[n]) {
          v = w->reset_to_zero[n] == 1 ? 0 : v - w->threshold[n];
          w->refractory_left[n] = w->refractory_ticks[n];
          w->spike_count[n] += 1;
          if (w->output_index[n] >= 0) w->written++;
          deliver(w, w->inputs + n, 1);
        }
      }
      w->exc[n] = e;
      w->inh[n] = h;
      w->membrane[n] = v;
    }
    w->slot = w->slot + 1 == w->ring ? 0 : w->slot + 1;
  }
  w->neuron_updates += (int64_t)ticks * n_count;
}

static void run_all(net_t *w) {
  int32_t c;
  size_t at = 0;
  for (c = 0; c < w->chunks; c++) {
    run_chunk(w, w->input + at * (size_t)w->inputs, w->chunk_ticks[c]);
    at += (size_t)w->chunk_ticks[c];
  }
}

static void print_array(const char *name, const int32_t *a, int32_t count) {
  int32_t i;
  printf("%s", name);
  for (i = 0; i < count; i++) printf(" %ld", (long)a[i]);
  printf("\n");
}

int main(int argc, char **argv) {
  FILE *f;
  int32_t *head;
  net_t w;
  int repeat, r;
  double best = 1e300;
  size_t inputs_bytes;
  if (argc != 3 || (repeat = atoi(argv[2])) < 1) {
    fprintf(stderr, "usage: lif_packed_harness FILE REPEAT\n");
    return 2;
  }
  f = fopen(argv[1], "rb");
  if (f == NULL) {
    fprintf(stderr, "lif_packed_harness: cannot open %s\n", argv[1]);
    return 1;
  }
  head = read_words(f, 10);
  if (head[0] != 0x4C494650) {
    fprintf(stderr, "lif_packed_harness: %s is not a network file\n", argv[1]);
    return 1;
  }
  memset(&w, 0, sizeof w);
  w.n = head[1];
  w.inputs = head[2];
  w.ring = head[3];
  w.state_min = head[4];
  w.state_max = head[5];
  w.runs = head[6];
  w.synapses = head[7];
  w.ticks = head[8];
  w.chunks = head[9];
  w.threshold = read_words(f, (size_t)w.n);
  w.mem_shift = read_words(f, (size_t)w.n);
  w.exc_shift = read_words(f, (size_t)w.n);
  w.inh_shift = read_words(f, (size_t)w.n);
  w.bias = read_words(f, (size_t)w.n);
  w.reset_to_zero = read_words(f, (size_t)w.n);
  w.refractory_ticks = read_words(f, (size_t)w.n);
  w.membrane_min = read_words(f, (size_t)w.n);
  w.output_index = read_words(f, (size_t)w.n);
  w.row_run = read_words(f, (size_t)(w.inputs + w.n + 1));
  w.run_from = read_words(f, (size_t)w.runs + 1);
  w.run_delay = read_words(f, (size_t)w.runs);
  w.packed = read_words(f, (size_t)w.synapses);
  w.chunk_ticks = read_words(f, (size_t)w.chunks);
  inputs_bytes = (size_t)w.ticks * (size_t)w.inputs;
  w.input = need(inputs_bytes);
  if (fread(w.input, 1, inputs_bytes, f) != inputs_bytes) {
    fprintf(stderr, "lif_packed_harness: the file ends early\n");
    return 1;
  }
  fclose(f);
  w.exc = need((size_t)w.n * sizeof(int32_t));
  w.inh = need((size_t)w.n * sizeof(int32_t));
  w.membrane = need((size_t)w.n * sizeof(int32_t));
  w.refractory_left = need((size_t)w.n * sizeof(int32_t));
  w.spike_count = need((size_t)w.n * sizeof(int32_t));
  w.pending = need((size_t)w.ring * 2 * (size_t)w.n * sizeof(int32_t));
  w.slot_active = need((size_t)w.ring);
  for (r = 0; r < repeat; r++) {
    double start, took;
    reset(&w);
    start = cpu_now();
    run_all(&w);
    took = cpu_now() - start;
    if (took < best) best = took;
  }
  printf("seconds %.9f\n", best);
  print_array("exc", w.exc, w.n);
  print_array("inh", w.inh, w.n);
  print_array("membrane", w.membrane, w.n);
  print_array("refractoryLeft", w.refractory_left, w.n);
  print_array("pending", w.pending, w.ring * 2 * w.n);
  print_array("spikeCount", w.spike_count, w.n);
  printf("slot %ld\ntick %lld\nsynapticOps %lld\nneuronUpdates %lld\noutputSpikes %lld\n", (long)w.slot, (long long)w.tick,
         (long long)w.syn_ops, (long long)w.neuron_updates, (long long)w.written);
  return 0;
}
