/* The test and bench harness of the exported ECG C (edgespike export-c): a fixed file, built
 * together with a generated edgespike_ecg.c (included here, one translation unit, so the timing
 * mode can call each stage alone):
 *
 *   cc -std=c99 -O2 -I OUTDIR src/export/ecgHarness.c -o harness [-DEDGESPIKE_ECG_PRIME=0]
 *
 *   harness run FILE          FILE: int32 little-endian samples (pipeline counts at the model's rate).
 *                             Prints one line per beat ("beat SAMPLE CALL": CALL the input
 *                             sample whose call returned it, the sample count for the flush), then
 *                             "spikes INPUT NEURON", "most-per-call K" and "max-beats M".
 *   harness sizeof            prints sizeof(edgespike_ecg_t)
 *   harness time N FILE...    each stage over all files N times (after one warm-up), the least
 *                             CPU time (clock_gettime of the process) per stage:
 *                             "STAGE SECONDS" for bandpass, encode, network, detect, chain.
 *                             For a noise-switched model, bandpass and encode time the model's
 *                             (wide) path alone; chain times both paths and the switch.
 */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "edgespike_ecg.c"

typedef struct {
  int32_t *x;
  int32_t *y;
  uint8_t *up;
  uint8_t *down;
  uint8_t *beat;
  size_t n;
} record_t;

static void fail(const char *what, const char *detail) {
  fprintf(stderr, "harness: %s%s%s\n", what, detail == NULL ? "" : ": ", detail == NULL ? "" : detail);
  exit(2);
}

static void read_samples(const char *path, record_t *r) {
  FILE *f = fopen(path, "rb");
  long size;
  unsigned char *bytes;
  size_t i;
  if (f == NULL) fail("cannot open", path);
  if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) fail("cannot size", path);
  if (size % 4 != 0) fail("not int32 samples", path);
  bytes = malloc((size_t)size + 1);
  if (bytes == NULL || fread(bytes, 1, (size_t)size, f) != (size_t)size) fail("cannot read", path);
  fclose(f);
  r->n = (size_t)size / 4;
  r->x = malloc((r->n + 1) * sizeof *r->x);
  r->y = malloc((r->n + 1) * sizeof *r->y);
  r->up = malloc(r->n + 1);
  r->down = malloc(r->n + 1);
  r->beat = malloc(r->n + 1);
  if (r->x == NULL || r->y == NULL || r->up == NULL || r->down == NULL || r->beat == NULL) fail("out of memory", NULL);
  for (i = 0; i < r->n; i++) {
    uint32_t u = (uint32_t)bytes[4 * i] | (uint32_t)bytes[4 * i + 1] << 8 | (uint32_t)bytes[4 * i + 2] << 16 | (uint32_t)bytes[4 * i + 3] << 24;
    r->x[i] = (int32_t)u;
  }
  free(bytes);
}

static double cpu_now(void) {
  struct timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static volatile uint32_t sink;

static void stage_bandpass(record_t *rs, int count) {
  edgespike_ecg_t s;
  int k;
  size_t i;
  for (k = 0; k < count; k++) {
    record_t *r = &rs[k];
    edgespike_ecg_init(&s);
    if (r->n > 0) es_bandpass_start(&s, es_saturate16(r->x[0]));
    for (i = 0; i < r->n; i++) r->y[i] = es_bandpass(&s, es_saturate16(r->x[i]));
  }
}

static void stage_encode(record_t *rs, int count) {
  edgespike_ecg_t s;
  int k;
  size_t i;
  uint32_t spikes = 0;
  for (k = 0; k < count; k++) {
    record_t *r = &rs[k];
    edgespike_ecg_init(&s);
#if ES_PRIMING
    {
      uint32_t peak = 0;
      for (i = 0; i < r->n && i < (size_t)sizeof s.prime_x / sizeof s.prime_x[0]; i++) {
        uint32_t a = r->y[i] < 0 ? (uint32_t)-r->y[i] : (uint32_t)r->y[i];
        if (a > peak) peak = a;
      }
      es_prime_level(&s, peak);
    }
#endif
    for (i = 0; i < r->n; i++) {
      r->up[i] = 0;
      r->down[i] = 0;
      es_encode(&s, r->y[i], &r->up[i], &r->down[i]);
      spikes += (uint32_t)r->up[i] + r->down[i];
    }
  }
  sink += spikes;
}

static void stage_network(record_t *rs, int count) {
  edgespike_ecg_t s;
  int k;
  size_t i;
  for (k = 0; k < count; k++) {
    record_t *r = &rs[k];
    edgespike_ecg_init(&s);
    for (i = 0; i < r->n; i++) r->beat[i] = es_network(&s, r->up[i], r->down[i]);
    sink += s.neuron_spikes;
  }
}

static void stage_detect(record_t *rs, int count) {
  edgespike_ecg_t s;
  uint32_t beats[EDGESPIKE_ECG_MAX_BEATS];
  int k;
  size_t i;
  uint32_t total = 0;
  for (k = 0; k < count; k++) {
    record_t *r = &rs[k];
    edgespike_ecg_init(&s);
    for (i = 0; i < r->n; i++) total += es_detect(&s, r->y[i], r->beat[i], beats, 0);
    total += edgespike_ecg_flush(&s, beats);
  }
  sink += total;
}

static void stage_chain(record_t *rs, int count) {
  edgespike_ecg_t s;
  uint32_t beats[EDGESPIKE_ECG_MAX_BEATS];
  int k;
  size_t i;
  uint32_t total = 0;
  for (k = 0; k < count; k++) {
    record_t *r = &rs[k];
    edgespike_ecg_init(&s);
    for (i = 0; i < r->n; i++) total += edgespike_ecg_process_sample(&s, r->x[i], beats);
    total += edgespike_ecg_flush(&s, beats);
  }
  sink += total;
}

static double best_of(int repeat, void (*stage)(record_t *, int), record_t *rs, int count) {
  double best = 1e300;
  int k;
  stage(rs, count);
  for (k = 0; k < repeat; k++) {
    double t0 = cpu_now();
    double t;
    stage(rs, count);
    t = cpu_now() - t0;
    if (t < best) best = t;
  }
  return best;
}

static int run(const char *path) {
  record_t r;
  edgespike_ecg_t s;
  /* room past EDGESPIKE_ECG_MAX_BEATS, so an overrun is reported instead of corrupting memory */
  uint32_t beats[EDGESPIKE_ECG_MAX_BEATS + 64];
  size_t i;
  uint8_t n, j, most = 0;
  read_samples(path, &r);
  edgespike_ecg_init(&s);
  for (i = 0; i <= r.n; i++) {
    n = i < r.n ? edgespike_ecg_process_sample(&s, r.x[i], beats) : edgespike_ecg_flush(&s, beats);
    if (n > most) most = n;
    /* each beat with the call that returned it (the sample index; r.n: the flush) */
    for (j = 0; j < n; j++) printf("beat %lu %lu\n", (unsigned long)beats[j], (unsigned long)i);
  }
  printf("spikes %lu %lu\n", (unsigned long)edgespike_ecg_input_spikes(&s), (unsigned long)edgespike_ecg_neuron_spikes(&s));
  printf("most-per-call %u\nmax-beats %u\n", (unsigned)most, (unsigned)EDGESPIKE_ECG_MAX_BEATS);
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 3 && strcmp(argv[1], "run") == 0) return run(argv[2]);
  if (argc == 2 && strcmp(argv[1], "sizeof") == 0) {
    printf("%lu\n", (unsigned long)sizeof(edgespike_ecg_t));
    return 0;
  }
  if (argc >= 4 && strcmp(argv[1], "time") == 0) {
    int repeat = atoi(argv[2]);
    int count = argc - 3;
    int k;
    record_t *rs = malloc((size_t)count * sizeof *rs);
    if (rs == NULL || repeat < 1) fail("usage: harness time N FILE...", NULL);
    for (k = 0; k < count; k++) read_samples(argv[3 + k], &rs[k]);
    /* each stage's input is the previous stage's output, computed by its untimed warm-up run */
    printf("bandpass %.9f\n", best_of(repeat, stage_bandpass, rs, count));
    printf("encode %.9f\n", best_of(repeat, stage_encode, rs, count));
    printf("network %.9f\n", best_of(repeat, stage_network, rs, count));
    printf("detect %.9f\n", best_of(repeat, stage_detect, rs, count));
    printf("chain %.9f\n", best_of(repeat, stage_chain, rs, count));
    return 0;
  }
  fail("usage: harness run FILE | harness sizeof | harness time N FILE...", NULL);
  return 2;
}
