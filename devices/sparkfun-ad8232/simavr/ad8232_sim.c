/*
 * ad8232_sim: runs an AD8232 sketch's ELF (built with avr-gcc for the ATmega328P at 16 MHz) in
 * simavr, plays ADC samples into its A0 and leads-off pins, and prints what the sketch sends
 * on its UART; counts the cycles the sketch spends per sample and the stack it uses.
 *
 *   ad8232_sim ELF SAMPLES STACK_FROM [PAD]
 *     ELF        the sketch built for the simulator (see scripts/avrSim.ts)
 *     SAMPLES    a text file, one line per sample period: an ADC value 0..1023, or "!" for a
 *                period with LO+ high (an electrode off)
 *     STACK_FROM the first data address above .data and .bss (the ELF's `_end`, hexadecimal):
 *                from there to RAMEND is painted before the run; what the stack overwrote is
 *                its high-water mark
 *     PAD        sample periods to play after the file, repeating its last value (so that the
 *                detector decides the beats it still looks ahead for), default 0
 *   stdout: the UART's bytes as sent. stderr: one JSON line of measurements.
 *
 * Feeding the ADC: simavr converts an ADC input of v millivolts to v * 1023 / Vref; with AVcc
 * (the sketch's reference) set to 1023 mV, v millivolts read as exactly v. At each conversion
 * start (the sketch starts one per tick and reads it at the next tick) the next sample's value
 * goes to ADC0. LO+ (PB2, D10) is read in the tick's interrupt after the start of the next
 * conversion, so its level for sample i is set at the start of conversion i + 1.
 *
 * Cycles: the sketch writes 1 and 0 to GPIOR0 around its call to the detector (the stand-in
 * core's EDGESPIKE_SIM_MARK_*); the cycles between are the detector's. Busy cycles are all the
 * cycles the CPU is not asleep (interrupts, printing, converting, detecting), between
 * consecutive conversion starts: the sketch sleeps when it has nothing to do.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <simavr/avr_adc.h>
#include <simavr/avr_ioport.h>
#include <simavr/avr_uart.h>
#include <simavr/sim_avr.h>
#include <simavr/sim_elf.h>

#define GPIOR0_DATA_ADDRESS 0x3E
#define STACK_PAINT 0xA5

static int16_t *samples; /* -1: leads off */
static size_t sampleCount;
static size_t pad;
static size_t fed;        /* conversion starts so far */
static int lastLeadsOff;
static avr_irq_t *adc0;
static avr_irq_t *leadsOffPlus;

/* AD8232_SIM_PROFILE=1: instructions executed per flash address, on stderr (to find hot spots) */
static int profiling;
static uint32_t pcHits[16384];
static avr_cycle_count_t markAt;
static uint64_t detectorCalls, detectorCycles, detectorMax;
static uint64_t busy, busyThisTick, busyMax, busyTicks;

static void on_trigger(avr_irq_t *irq, uint32_t value, void *param) {
  (void)irq;
  (void)value;
  avr_t *avr = param;
  (void)avr;
  if (fed > 0) {
    /* a tick has passed: its busy cycles are complete */
    if (busyThisTick > busyMax) busyMax = busyThisTick;
    busyTicks++;
  } else {
    busy = 0; /* the start-up (setup(), the first tick) is not a sample period */
  }
  busyThisTick = 0;
  const size_t i = fed < sampleCount ? fed : sampleCount - 1;
  const int16_t v = samples[i];
  avr_raise_irq(leadsOffPlus, lastLeadsOff);
  if (v >= 0) avr_raise_irq(adc0, (uint32_t)v);
  lastLeadsOff = fed < sampleCount && v < 0;
  fed++;
}

static void on_mark(struct avr_t *avr, avr_io_addr_t addr, uint8_t v, void *param) {
  (void)param;
  avr->data[addr] = v;
  if (v == 1) {
    markAt = avr->cycle;
  } else if (markAt != 0) {
    const uint64_t c = avr->cycle - markAt;
    detectorCycles += c;
    detectorCalls++;
    if (c > detectorMax) detectorMax = c;
    markAt = 0;
  }
}

/* simavr's default sleep keeps the simulation in step with the wall clock; this one does not wait */
static void sleep_none(avr_t *avr, avr_cycle_count_t howLong) {
  (void)avr;
  (void)howLong;
}

static void on_uart(avr_irq_t *irq, uint32_t value, void *param) {
  (void)irq;
  (void)param;
  putchar((int)(value & 0xFF));
}

static void read_samples(const char *path) {
  FILE *f = fopen(path, "r");
  if (f == NULL) {
    fprintf(stderr, "ad8232_sim: cannot open %s\n", path);
    exit(2);
  }
  size_t capacity = 4096;
  samples = malloc(capacity * sizeof *samples);
  char line[32];
  while (fgets(line, sizeof line, f) != NULL) {
    if (line[0] == '\n' || line[0] == '\r') continue;
    if (sampleCount == capacity) samples = realloc(samples, (capacity *= 2) * sizeof *samples);
    if (line[0] == '!') {
      samples[sampleCount++] = -1;
    } else {
      const long v = strtol(line, NULL, 10);
      if (v < 0 || v > 1023) {
        fprintf(stderr, "ad8232_sim: sample %zu is %ld, not 0..1023\n", sampleCount, v);
        exit(2);
      }
      samples[sampleCount++] = (int16_t)v;
    }
  }
  fclose(f);
  if (sampleCount == 0) {
    fprintf(stderr, "ad8232_sim: no samples in %s\n", path);
    exit(2);
  }
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: ad8232_sim ELF SAMPLES STACK_FROM [PAD]\n");
    return 2;
  }
  profiling = getenv("AD8232_SIM_PROFILE") != NULL;
  read_samples(argv[2]);
  const uint32_t stackFrom = (uint32_t)strtoul(argv[3], NULL, 16) & 0xFFFF;
  pad = argc > 4 ? (size_t)strtoul(argv[4], NULL, 10) : 0;

  avr_t *avr = avr_make_mcu_by_name("atmega328p");
  if (avr == NULL) return 2;
  avr_init(avr);
  avr->log = LOG_ERROR;
  avr->sleep = sleep_none;
  /* the ELF reader and loader report on stdout, which is the UART's: send that to stderr */
  fflush(stdout);
  const int savedStdout = dup(1);
  dup2(2, 1);
  elf_firmware_t firmware;
  memset(&firmware, 0, sizeof firmware);
  if (elf_read_firmware(argv[1], &firmware) != 0) {
    fprintf(stderr, "ad8232_sim: cannot read %s\n", argv[1]);
    return 2;
  }
  firmware.frequency = 16000000;
  avr_load_firmware(avr, &firmware);
  fflush(stdout);
  dup2(savedStdout, 1);
  close(savedStdout);
  avr->frequency = 16000000;
  avr->avcc = 1023; /* mV: an ADC input of v mV reads as v */
  avr->vcc = 5000;

  for (uint32_t a = stackFrom; a <= avr->ramend; a++) avr->data[a] = STACK_PAINT;

  adc0 = avr_io_getirq(avr, AVR_IOCTL_ADC_GETIRQ, ADC_IRQ_ADC0);
  leadsOffPlus = avr_io_getirq(avr, AVR_IOCTL_IOPORT_GETIRQ('B'), 2);
  avr_irq_register_notify(avr_io_getirq(avr, AVR_IOCTL_ADC_GETIRQ, ADC_IRQ_OUT_TRIGGER), on_trigger, avr);
  avr_irq_register_notify(avr_io_getirq(avr, AVR_IOCTL_UART_GETIRQ('0'), UART_IRQ_OUTPUT), on_uart, NULL);
  avr_register_io_write(avr, GPIOR0_DATA_ADDRESS, on_mark, NULL);
  /* the UART delivers bytes at the baud rate, not at once */
  uint32_t flags = 0;
  avr_ioctl(avr, AVR_IOCTL_UART_GET_FLAGS('0'), &flags);
  flags &= ~AVR_UART_FLAG_STDIO;
  avr_ioctl(avr, AVR_IOCTL_UART_SET_FLAGS('0'), &flags);

  const size_t total = sampleCount + pad;
  /* after the last sample: 8 more ticks for its lines and beats to be printed */
  avr_cycle_count_t endAt = 0;
  for (;;) {
    const int wasRunning = avr->state == cpu_Running;
    const avr_cycle_count_t before = avr->cycle;
    const int state = avr_run(avr);
    if (profiling && wasRunning) pcHits[(avr->pc >> 1) & 16383]++;
    if (wasRunning) {
      /* A `sleep` instruction's call also jumps to the next timer event: count it as 1 cycle. */
      const uint64_t spent = avr->state == cpu_Sleeping ? 1 : avr->cycle - before;
      busy += spent;
      busyThisTick += spent;
    }
    if (state == cpu_Done || state == cpu_Crashed) {
      fprintf(stderr, "ad8232_sim: the simulated CPU stopped (state %d) at cycle %" PRIu64 "\n", state, (uint64_t)avr->cycle);
      return 1;
    }
    if (endAt == 0 && fed > total) endAt = avr->cycle + 8 * 44444;
    if (endAt != 0 && avr->cycle >= endAt) break;
  }
  fflush(stdout);
  if (profiling)
    for (int i = 0; i < 16384; i++) if (pcHits[i] > 0) fprintf(stderr, "pc %04x %u\n", i * 2, pcHits[i]);

  uint32_t lowest = avr->ramend + 1;
  for (uint32_t a = stackFrom; a <= avr->ramend; a++) {
    if (avr->data[a] != STACK_PAINT) {
      lowest = a;
      break;
    }
  }
  fprintf(stderr,
          "{\"samples\":%zu,\"pad\":%zu,\"ticks\":%" PRIu64 ",\"detectorCalls\":%" PRIu64 ",\"detectorCyclesMean\":%.1f,"
          "\"detectorCyclesMax\":%" PRIu64 ",\"busyCyclesMean\":%.1f,\"busyCyclesMax\":%" PRIu64 ",\"stackBytes\":%u,"
          "\"ramEnd\":%u,\"stackFrom\":%u,\"simulatedSeconds\":%.3f}\n",
          sampleCount, pad, busyTicks, detectorCalls, detectorCalls ? (double)detectorCycles / detectorCalls : 0.0, detectorMax,
          busyTicks ? (double)busy / busyTicks : 0.0, busyMax, avr->ramend + 1 - lowest, avr->ramend, stackFrom,
          (double)avr->cycle / 16e6);
  return 0;
}
